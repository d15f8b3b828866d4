#!/usr/bin/env bash
# The demo on the embedded default: the loopback fake WeChat (unless real credentials are set),
# the notification worker, and the API server. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${JIASHU_VENV:-.venv}/bin
export FLASK_APP=wsgi.py
PORT=${PORT:-5000}
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}
if [ -z "${WECHAT_APPID:-}" ]; then
  export WECHAT_APPID=wx0000000000demo00 WECHAT_SECRET=demo-only-secret-0000000000000000
  export WECHAT_API_BASE=http://127.0.0.1:${WECHAT_FAKE_PORT:-8801}
  # The fake fetches wish photos and pushes its verdicts to the app, as WeChat does.
  export WECHAT_PUSH_TOKEN=demo-push-token WECHAT_PUSH_AES_KEY=ZGVtby1vbmx5LXB1c2gta2V5LTAwMDAwMDAwMDAwMDA
  $BIN/python -m fakes.wechat_server --port "${WECHAT_FAKE_PORT:-8801}" \
      --appid "$WECHAT_APPID" --secret "$WECHAT_SECRET" --push-url "$PUBLIC_BASE_URL/wechat/push" \
      --push-token "$WECHAT_PUSH_TOKEN" --push-aes-key "$WECHAT_PUSH_AES_KEY" &
fi
$BIN/flask worker &
$BIN/flask escalate --every 60 &
echo "jiashu demo: the staff console on http://127.0.0.1:$PORT/ (API docs: /api/docs)"
echo "  sign in as admin, grid1 … grid6, unit1 or police, password jiashu-demo"
# Served as in production (gunicorn.conf.py): the log is the app's own, one JSON line per request with the
# QR tokens of /s/<token> and /api/cards/<token> left out; no access log, which would write them.
GUNICORN_BIND=127.0.0.1:$PORT WEB_CONCURRENCY=${WEB_CONCURRENCY:-2} $BIN/gunicorn -c gunicorn.conf.py wsgi:app

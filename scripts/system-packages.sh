#!/usr/bin/env bash
# Debian packages jiashu needs beyond Python: a CJK font for the letters, poppler for PDF checks in tests,
# HAProxy for the test of several app servers behind a balancer (tests/ops/test_app_servers.py), Chromium for the
# console's browser tests (tests/console, driven by Playwright: its own browser downloads are not used), Node.js and
# npm to build the mini-program (miniprogram/: `make client`).
set -euo pipefail
missing=()
fc-list 2>/dev/null | grep -i wqy >/dev/null || missing+=(fonts-wqy-microhei)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v haproxy >/dev/null || missing+=(haproxy)
command -v chromium >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing ${missing[*]} from Debian's packages..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null

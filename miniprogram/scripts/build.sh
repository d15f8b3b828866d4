#!/usr/bin/env bash
# Build the client for each platform named (mp-weixin, h5), printing each build's time; then the sizes
# (scripts/sizes.mjs fails when the WeChat main package is over its 2 MB limit).
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=1   # else the uni CLI posts an update check to DCloud once a day
for platform in "$@"; do
  start=$(date +%s%N)
  if [ "$platform" = h5 ]; then npx uni build >/tmp/jiashu-uni-build-$$.log 2>&1 || { cat /tmp/jiashu-uni-build-$$.log; exit 1; }
  else npx uni build -p "$platform" >/tmp/jiashu-uni-build-$$.log 2>&1 || { cat /tmp/jiashu-uni-build-$$.log; exit 1; }
  fi
  rm -f /tmp/jiashu-uni-build-$$.log
  echo "built $platform in $(( ($(date +%s%N) - start) / 1000000 )) ms"
done
node scripts/sizes.mjs "$@"

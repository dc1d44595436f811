#!/usr/bin/env bash
# Browser tests: installs Chromium (Debian) and the npm packages, starts the
# real server on a free port with a fresh SQLite demo database, runs the
# Playwright + axe-core + vnu suite against it, and stops the server.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Chromium from Debian"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi
command -v java >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless; }
npm ci --no-audit --no-fund --loglevel=error

cargo build -q -p tukiverkko
BIN="${CARGO_TARGET_DIR:-../target}/debug/tukiverkko"

work=$(mktemp -d)
mkfifo "$work/stdout"
TUKIVERKKO_DATABASE_URL="sqlite://$work/e2e.db" \
TUKIVERKKO_BIND=127.0.0.1:0 \
TUKIVERKKO_DATA_DIR="$work/data" \
TUKIVERKKO_LOG=warn \
TUKIVERKKO_LOGIN_ATTEMPTS_PER_MINUTE=1000 \
  "$BIN" serve > "$work/stdout" 2> "$work/stderr" &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# The server's first line names its address: that is the readiness signal.
exec 3< "$work/stdout"
if ! read -r first <&3; then
  echo "the server did not start:" >&2
  cat "$work/stderr" >&2
  exit 1
fi
cat <&3 > /dev/null &
export E2E_BASE_URL="${first#listening on }"
echo "server at $E2E_BASE_URL"

mkdir -p test-output
npm test

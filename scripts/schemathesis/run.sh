#!/usr/bin/env bash
# Holds the JSON API to its own document: schemathesis (PyPI, v4) reads
# /openapi.json from a freshly seeded demo server and sends every operation
# positive and negative requests as each demo role, following the document's
# links between operations. Any server error or any response the document
# does not describe (status, content type, body, headers) fails the run.
#
# It builds nothing: it runs the debug binary the test suite already built
# ("$CARGO_TARGET_DIR/debug/tukiverkko"), so it belongs after `cargo test`.
# Bounded by --max-examples per operation and per phase; SCHEMATHESIS_EXAMPLES
# and SCHEMATHESIS_PHASES override the defaults for a deeper local run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/debug/tukiverkko"
[ -x "$bin" ] || { echo "no debug binary at $bin: run cargo build (or cargo test) first" >&2; exit 2; }

# The venv outlives the run (installing schemathesis takes longer than the
# run itself); requirements.txt pins the version, so a changed pin reinstalls.
venv="${SCHEMATHESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/tukiverkko/schemathesis-venv}"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/schemathesis" ] || ! cmp -s "$here/requirements.txt" "$stamp"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$stamp"
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A fresh SQLite file: serve creates it, migrates it and seeds the demo data.
export TUKIVERKKO_DATABASE_URL="sqlite://$work/tukiverkko.db"
export TUKIVERKKO_DATA_DIR="$work/data"
export TUKIVERKKO_BIND="127.0.0.1:0"
export TUKIVERKKO_DEMO=true
unset TUKIVERKKO_CONFIG TUKIVERKKO_PUBLIC_URL
mkfifo "$work/stdout"
"$bin" serve > "$work/stdout" 2> "$work/server.log" &
server_pid=$!
# The first stdout line is the readiness signal (DESIGN §5); the rest of
# stdout is drained into a file so the server never blocks on a full pipe.
exec 3< "$work/stdout"
read -r first <&3 || { echo "the server exited before it listened:" >&2; cat "$work/server.log" >&2; exit 1; }
cat <&3 > "$work/server.out" &
case "$first" in
  "listening on http://"*) base="${first#listening on }" ;;
  *) echo "unexpected first line from serve: $first" >&2; exit 1 ;;
esac
echo "server at $base"

examples="${SCHEMATHESIS_EXAMPLES:-8}"
phases="${SCHEMATHESIS_PHASES:-examples,coverage,fuzzing,stateful}"
failed=()
# role e-mail: the demo users of crates/store/src/demo.rs.
roles=(
  "requester pyytaja@example.fi"
  "coordinator koordinaattori@example.fi"
  "expert asiantuntija@example.fi"
  "experience_expert kokemus@example.fi"
  "researcher tutkija@example.fi"
  "admin yllapito@example.fi"
)
for entry in "${roles[@]}"; do
  role="${entry%% *}"
  email="${entry#* }"
  # SCHEMATHESIS_ROLES="coordinator admin" narrows a local run.
  if [ -n "${SCHEMATHESIS_ROLES:-}" ] && [[ " $SCHEMATHESIS_ROLES " != *" $role "* ]]; then continue; fi
  token=$("$bin" token issue --email "$email" --days 1)
  echo
  echo "--- schemathesis as $role ($email)"
  # The config file states the checks and the operations left out (with why).
  if ! (cd "$here" && "$venv/bin/schemathesis" --config-file "$here/schemathesis.toml" run "$base/openapi.json" \
      --header "Authorization: Bearer $token" \
      --phases "$phases" --max-examples "$examples" --seed 19 \
      --report junit --report-dir "$work/report-$role" \
      --no-color --output-truncate true); then
    failed+=("$role")
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the server died during the $role run:" >&2; tail -50 "$work/server.log" >&2; exit 1
  fi
done

if grep -q '"level":"ERROR"\|ERROR' "$work/server.log"; then
  echo "the server logged errors:" >&2
  grep 'ERROR' "$work/server.log" | head -20 >&2
  failed+=("server-log")
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "schemathesis failed for: ${failed[*]}" >&2
  exit 1
fi
echo "schemathesis: every role clean"

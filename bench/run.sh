#!/usr/bin/env bash
# HTTP benchmarks of the release build on loopback, each beside a named baseline measured in the same
# run: the trivial JSON endpoint /healthz. Prints requests per second and the ratio to the baseline.
# Needs wrk (installed with apt when missing). Usage: make bench [DURATION=10s] [CONNECTIONS=32]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
# NAVIGATOR_BIN: measure another build (say, an earlier commit's) instead of building this one.
if [ -z "${NAVIGATOR_BIN:-}" ]; then swift build -c release --product navigator 2>&1 | tail -1; fi
BIN="${NAVIGATOR_BIN:-$(pwd)/.build/release/navigator}"
WORK=$(mktemp -d /tmp/navigator-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATABASE_URL="sqlite://$WORK/bench.sqlite" LOG_LEVEL=error BCRYPT_COST=8 \
  "$BIN" serve --demo --port "$PORT" --env production > "$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.5; done

rate() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$1" | awk '/Requests\/sec/ {print $2}'; }
printf '%-48s %12s %8s\n' "endpoint" "req/s" "ratio"
base=$(rate /healthz)
printf '%-48s %12s %8s\n' "/healthz (baseline: trivial JSON)" "$base" "1.00"
for path in "/api/v1/reference/municipalities?region=42" "/api/v1/reference/classifiers" "/" "/login"; do
  r=$(rate "$path")
  printf '%-48s %12s %8s\n' "$path" "$r" "$(python3 -c "print(f'{$r/$base:.2f}')")"
done

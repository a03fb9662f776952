#!/usr/bin/env bash
# The catalogue search benchmark (issue 3), all in one run on this machine:
#   1. a 100 000-program catalogue (`navigator demo --programs`), exported as open data (JSON Lines);
#   2. 1 000 inflected 1–2-word queries (bench/search_baselines.py queries);
#   3. our in-process index (`navigator bench-search`), top 20 — and the full catalogue search with facets;
#   4. the same queries on tantivy (PyPI, Russian Snowball stemmer) and on PostgreSQL full-text search
#      (`russian` configuration, GIN index, ts_rank) over the same export;
#   5. our HTTP search endpoint under wrk beside the trivial JSON endpoint /healthz of the same server;
# and prints the ratios. Usage: make bench-search [PROGRAMS=100000] [DURATION=10s] [CONNECTIONS=32]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PROGRAMS=${PROGRAMS:-100000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
command -v wrk >/dev/null || { as_root apt-get update -qq && as_root apt-get install -y -qq wrk >/dev/null; }
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { as_root apt-get update -qq && as_root apt-get install -y -qq postgresql >/dev/null; }
python3 -c 'import tantivy, snowballstemmer, psycopg' 2>/dev/null || python3 -m pip install -q tantivy snowballstemmer "psycopg[binary]"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# NAVIGATOR_BIN: measure another build (say, an earlier commit's) instead of building this one.
if [ -z "${NAVIGATOR_BIN:-}" ]; then echo "==> release build"; swift build -c release --product navigator 2>&1 | tail -1; fi
BIN="${NAVIGATOR_BIN:-$ROOT/.build/release/navigator}"
WORK=$(mktemp -d /tmp/navigator-bench-search.XXXXXX)
PGDATA="$WORK/pg"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PID=""
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  if [ -f "$PGDATA/postmaster.pid" ]; then pg_run "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "==> generating $PROGRAMS programs"
start=$(date +%s.%N)
DATABASE_URL="sqlite://$WORK/bench.sqlite" LOG_LEVEL=error "$BIN" demo --children 0 --programs "$PROGRAMS" > "$WORK/demo.log" 2>&1
gen_s=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
echo "    $gen_s s"

PORT=$(free_port)
DATABASE_URL="sqlite://$WORK/bench.sqlite" LOG_LEVEL=error "$BIN" serve --port "$PORT" --env production > "$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$PORT/api/v1/catalog/search?q=x" >/dev/null   # the catalogue is built by the first search
curl -fs -o "$WORK/catalog.jsonl" "http://127.0.0.1:$PORT/api/v1/catalog/export.jsonl"
echo "==> exported $(wc -l < "$WORK/catalog.jsonl") programs; making queries"
python3 bench/search_baselines.py queries "$WORK/catalog.jsonl" "$WORK/queries.txt" 1000

echo "==> in-process (ours), tantivy, PostgreSQL"
"$BIN" bench-search --catalog "$WORK/catalog.jsonl" --queries "$WORK/queries.txt" > "$WORK/ours.json"
"$BIN" bench-search --catalog "$WORK/catalog.jsonl" --queries "$WORK/queries.txt" --facets --rounds 1 > "$WORK/ours-facets.json"
python3 bench/search_baselines.py tantivy "$WORK/catalog.jsonl" "$WORK/queries.txt" > "$WORK/tantivy.json"
mkdir -p "$PGDATA"; [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$WORK"
PGPORT=$(free_port)
pg_run "$PGBIN/initdb" -D "$PGDATA" -U navigator --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
pg_run "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c work_mem=64MB" start >/dev/null
python3 bench/search_baselines.py postgres "$WORK/catalog.jsonl" "$WORK/queries.txt" "postgresql://navigator@127.0.0.1:$PGPORT/postgres" > "$WORK/pg.json"

echo "==> HTTP: wrk -t2 -c$CONNECTIONS -d$DURATION"
python3 - "$WORK/queries.txt" > "$WORK/queries.lua" <<'PY'
import sys, urllib.parse
qs = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if l]
print("local q = {" + ",".join('"' + urllib.parse.quote(x) + '"' for x in qs) + "}")
print("local i = 0")
print("request = function() i = i % #q + 1; return wrk.format('GET', '/api/v1/catalog/search?per=20&q=' .. q[i]) end")
PY
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$PORT/healthz" > "$WORK/wrk-trivial.txt"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$WORK/queries.lua" "http://127.0.0.1:$PORT/" > "$WORK/wrk-search.txt"
# The same without the answer cache: every request searches, counts facets and renders.
kill "$PID"; wait "$PID" 2>/dev/null || true
DATABASE_URL="sqlite://$WORK/bench.sqlite" LOG_LEVEL=error SEARCH_CACHE_ENTRIES=0 "$BIN" serve --port "$PORT" --env production > "$WORK/server2.log" 2>&1 &
PID=$!
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$PORT/api/v1/catalog/search?q=x" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$WORK/queries.lua" "http://127.0.0.1:$PORT/" > "$WORK/wrk-search-nocache.txt"

python3 - "$WORK" "$gen_s" <<'PY'
import json, re, sys
w = sys.argv[1]
load = lambda n: json.loads(open(f"{w}/{n}").read().strip().splitlines()[-1])
rate = lambda n: float(re.search(r"Requests/sec:\s+([\d.]+)", open(f"{w}/{n}").read()).group(1))
errors = lambda n: re.search(r"Non-2xx or 3xx responses: (\d+)", open(f"{w}/{n}").read())
ours, facets, tv, pg = load("ours.json"), load("ours-facets.json"), load("tantivy.json"), load("pg.json")
print()
print(f"catalogue: {ours['documents']} programs (generated in {sys.argv[2]} s), {ours['queries'] // 3} queries, top 20")
print(f"{'engine':44} {'queries/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'vs tantivy':>11}")
for name, r in [("navigator in-process (top 20)", ours), ("navigator in-process (full: facets, sort, page)", facets),
                ("tantivy 0.x, Russian stemmer (baseline)", tv), ("PostgreSQL FTS, russian, GIN, ts_rank", pg)]:
    print(f"{name:44} {r['qps']:10.0f} {r['p50_ms']:8.3f} {r['p99_ms']:8.3f} {r['qps'] / tv['qps']:10.2f}x")
t, s, u = rate("wrk-trivial.txt"), rate("wrk-search.txt"), rate("wrk-search-nocache.txt")
print(f"{'HTTP /healthz (baseline: trivial JSON)':44} {t:10.0f}")
print(f"{'HTTP /api/v1/catalog/search, answer cache on':44} {s:10.0f} {'':8} {'':8} {s / t:10.2f}x of trivial")
print(f"{'HTTP /api/v1/catalog/search, cache off':44} {u:10.0f} {'':8} {'':8} {u / t:10.2f}x of trivial")
for n in ("wrk-trivial.txt", "wrk-search.txt", "wrk-search-nocache.txt"):
    if errors(n): print(f"  {n}: {errors(n).group(1)} non-2xx responses")
ok = ours["qps"] >= 2 * tv["qps"] and ours["p99_ms"] < 0.5 and s >= 0.5 * t
print("targets (in-process >= 2x tantivy, p99 < 0.5 ms, HTTP search >= 0.5x trivial):",
      f"in-process {ours['qps'] / tv['qps']:.2f}x tantivy, p99 {ours['p99_ms']:.3f} ms, HTTP {s / t:.2f}x (cache) / {u / t:.2f}x (no cache) —",
      "met" if ok else "NOT all met")
PY

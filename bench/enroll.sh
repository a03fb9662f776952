#!/usr/bin/env bash
# The enrollment write path (issue 5): applications per second over HTTP with 64 concurrent clients,
# every request a new application (place + hold + contract in one transaction), on SQLite and on
# PostgreSQL, each beside its baseline measured in the same run: pgbench's TPC-B on the same PostgreSQL
# cluster and a TPC-B-like SQLite transaction (bench/tpcb_sqlite.py). After each run `navigator verify`
# must find no violation (no overbooking, no hold above a balance). Usage: make bench-enroll [DURATION=10s]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
SECONDS_=${DURATION%s}
CLIENTS=${CLIENTS:-64}
THREADS=2
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
command -v wrk >/dev/null || { as_root apt-get update -qq && as_root apt-get install -y -qq wrk >/dev/null; }
ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || { as_root apt-get update -qq && as_root apt-get install -y -qq postgresql >/dev/null; }
# NAVIGATOR_BIN: measure another build (say, an earlier commit's) instead of building this one.
if [ -z "${NAVIGATOR_BIN:-}" ]; then swift build -c release --product navigator 2>&1 | tail -1; fi
BIN="${NAVIGATOR_BIN:-$(pwd)/.build/release/navigator}"
WORK=$(mktemp -d /tmp/navigator-enroll.XXXXXX)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDATA="$WORK/pg"
PID=""
pg_run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  [ -f "$PGDATA/postmaster.pid" ] && pg_run "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Runs the server on $1 (DATABASE_URL), loads the demo and the pairs, measures, verifies. Prints "rate p50 p99 created refused failed".
measure() {
  local url=$1 name=$2 port
  port=$(free_port)
  DATABASE_URL="$url" LOG_LEVEL=error "$BIN" demo --children 0 > "$WORK/demo-$name.log" 2>&1
  DATABASE_URL="$url" LOG_LEVEL=error "$BIN" bench-enroll-setup --families "$CLIENTS" --children 20 --groups 20 \
    --out "$WORK/pairs-$name.txt" > "$WORK/setup-$name.log" 2>&1
  DATABASE_URL="$url" LOG_LEVEL=error BCRYPT_COST=8 DATABASE_POOL_SIZE=${DATABASE_POOL_SIZE:-16} \
    "$BIN" serve --port "$port" --env production > "$WORK/server-$name.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
  local out
  out=$(PAIRS="$WORK/pairs-$name.txt" THREADS=$THREADS wrk -t$THREADS -c"$CLIENTS" -d"$DURATION" -s bench/enroll.lua "http://127.0.0.1:$port" | grep '^created')
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  DATABASE_URL="$url" LOG_LEVEL=error "$BIN" verify > "$WORK/verify-$name.log" 2>&1 || { echo "verify failed on $name:"; cat "$WORK/verify-$name.log"; exit 1; }
  python3 - "$out" <<'PY'
import sys
f = sys.argv[1].split()
v = dict(zip(f[0::2], f[1::2]))
print(f"{int(v['created']) / float(v['seconds']):.1f} {v['p50']} {v['p99']} {v['created']} {v['refused']} {v['failed']}")
PY
}

echo "Enrollment write path: $CLIENTS concurrent clients, $DURATION each"
ONLY=${ONLY:-}  # sqlite or postgres: run one database only
S_RATE=0 P_RATE=0 SQLITE_BASE=1 PG_BASE=1 S_P50=- S_P99=- P_P50=- P_P99=- S_CREATED=0 S_REFUSED=0 S_FAILED=0 P_CREATED=0 P_REFUSED=0 P_FAILED=0
# ---- SQLite ----
if [ "$ONLY" != postgres ]; then
SQLITE_BASE=$(python3 bench/tpcb_sqlite.py "$SECONDS_")
read -r S_RATE S_P50 S_P99 S_CREATED S_REFUSED S_FAILED < <(measure "sqlite://$WORK/enroll.sqlite" sqlite)
fi

# ---- PostgreSQL (default durability: fsync and synchronous_commit on) ----
if [ "$ONLY" != sqlite ]; then
mkdir -p "$PGDATA"; [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$WORK"
PGPORT=$(free_port)
pg_run "$PGBIN/initdb" -D "$PGDATA" -U navigator --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
pg_run "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
  -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB" start >/dev/null
pg_run "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U navigator pgbench
pg_run "$PGBIN/pgbench" -h 127.0.0.1 -p "$PGPORT" -U navigator -i -s 10 -q pgbench > "$WORK/pgbench-init.log" 2>&1
PG_BASE=$(pg_run "$PGBIN/pgbench" -h 127.0.0.1 -p "$PGPORT" -U navigator -c "$CLIENTS" -j $THREADS -T "$SECONDS_" -M prepared -n pgbench 2>/dev/null \
  | awk '/^tps/ {print $3; exit}')
pg_run "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U navigator navigator_bench
read -r P_RATE P_P50 P_P99 P_CREATED P_REFUSED P_FAILED < <(measure "postgres://navigator@127.0.0.1:$PGPORT/navigator_bench" postgres)
fi

ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
printf '\n%-44s %12s %10s %10s %8s\n' "" "per second" "p50 ms" "p99 ms" "ratio"
printf '%-44s %12s %10s %10s %8s\n' "SQLite TPC-B-like (baseline)" "$SQLITE_BASE" "" "" "1.00"
printf '%-44s %12s %10s %10s %8s\n' "SQLite: applications over HTTP" "$S_RATE" "$S_P50" "$S_P99" "$(ratio "$S_RATE" "$SQLITE_BASE")"
printf '%-44s %12s %10s %10s %8s\n' "PostgreSQL pgbench TPC-B (baseline)" "$PG_BASE" "" "" "1.00"
printf '%-44s %12s %10s %10s %8s\n' "PostgreSQL: applications over HTTP" "$P_RATE" "$P_P50" "$P_P99" "$(ratio "$P_RATE" "$PG_BASE")"
echo
echo "SQLite: $S_CREATED applications, $S_REFUSED refused, $S_FAILED server errors; PostgreSQL: $P_CREATED, $P_REFUSED, $P_FAILED."
echo "navigator verify after each run: no violation (no group over capacity, no hold above a balance)."
echo "Targets: at least 0.50x TPC-B on PostgreSQL and 0.25x on SQLite."

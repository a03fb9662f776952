#!/usr/bin/env bash
# The monthly close (issue 14): N contracts in force (default 1 000 000) closed for one month on SQLite and on
# PostgreSQL (release build), each beside its baseline measured in the same run — the same number of ledger rows
# inserted with plain multi-row SQL (`navigator bench-close-baseline`) — with the ratio baseline/close (target ≥ 0.2)
# and the p99 of the catalogue search and of /readyz measured while the close runs (a server on the same database).
# After each close `navigator verify` must find no violation. Usage: make bench-close [CONTRACTS=1000000] [ONLY=sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
CONTRACTS=${CONTRACTS:-1000000}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { as_root apt-get update -qq && as_root apt-get install -y -qq postgresql >/dev/null; }
if [ -z "${NAVIGATOR_BIN:-}" ]; then swift build -c release --product navigator 2>&1 | tail -1; fi
BIN="${NAVIGATOR_BIN:-$(pwd)/.build/release/navigator}"
WORK=$(mktemp -d /tmp/navigator-close.XXXXXX)
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
now() { python3 -c 'import time; print(time.time())'; }

# Prints "baseline_s close_s search_p99 readyz_p99 probes errors".
measure() {
  local url=$1 name=$2 port out month muni t0 t1 base probe
  DATABASE_URL="$url" LOG_LEVEL=error "$BIN" demo --children 0 > "$WORK/demo-$name.log" 2>&1
  DATABASE_URL="$url" LOG_LEVEL=error "$BIN" bench-close-setup --contracts "$CONTRACTS" > "$WORK/setup-$name.log" 2>&1
  out=$(tail -1 "$WORK/setup-$name.log")
  month=$(echo "$out" | sed -n 's/.*Закрываемый месяц: \([0-9-]*\)\..*/\1/p')
  muni=$(echo "$out" | sed -n 's/.*Муниципалитет: \([0-9-]*\)\..*/\1/p')
  base=$(DATABASE_URL="$url" LOG_LEVEL=error "$BIN" bench-close-baseline --rows "$CONTRACTS" 2>/dev/null | tail -1)
  port=$(free_port)
  DATABASE_URL="$url" LOG_LEVEL=error DATABASE_POOL_SIZE=8 "$BIN" serve --port "$port" --env production > "$WORK/server-$name.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
  rm -f "$WORK/stop"
  python3 bench/probe.py "http://127.0.0.1:$port" "$WORK/stop" > "$WORK/probe-$name.txt" &
  probe=$!
  sleep 1
  t0=$(now)
  DATABASE_URL="$url" LOG_LEVEL=error "$BIN" close-month --month "$month" --municipality "$muni" > "$WORK/close-$name.log" 2>&1 \
    || { echo "close failed on $name:"; cat "$WORK/close-$name.log"; exit 1; }
  t1=$(now)
  touch "$WORK/stop"; wait "$probe"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  DATABASE_URL="$url" LOG_LEVEL=error "$BIN" verify > "$WORK/verify-$name.log" 2>&1 || { echo "verify failed on $name:"; tail -5 "$WORK/verify-$name.log"; exit 1; }
  read -r sp rp sn rn err < "$WORK/probe-$name.txt"
  echo "$base $(python3 -c "print(f'{$t1-$t0:.2f}')") $sp $rp $((sn + rn)) $err"
}

ONLY=${ONLY:-}
echo "Monthly close: $CONTRACTS contracts in force, one month"
S=(- - - - - -) P=(- - - - - -)
if [ "$ONLY" != postgres ]; then
  read -r -a S < <(measure "sqlite://$WORK/close.sqlite" sqlite)
fi
if [ "$ONLY" != sqlite ]; then
  mkdir -p "$PGDATA"; [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$WORK"
  PGPORT=$(free_port)
  pg_run "$PGBIN/initdb" -D "$PGDATA" -U navigator --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  pg_run "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c max_connections=100 -c shared_buffers=256MB" start >/dev/null
  pg_run "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U navigator navigator_close
  read -r -a P < <(measure "postgres://navigator@127.0.0.1:$PGPORT/navigator_close" postgres)
fi
ratio() { python3 -c "print(f'{$1/$2:.2f}')" 2>/dev/null || echo -; }
printf '\n%-42s %10s %8s %16s %16s\n' "" "seconds" "ratio" "search p99 ms" "readyz p99 ms"
printf '%-42s %10s %8s\n' "SQLite: plain INSERT of the rows (baseline)" "${S[0]}" "1.00"
printf '%-42s %10s %8s %16s %16s\n' "SQLite: close-month" "${S[1]}" "$(ratio "${S[0]}" "${S[1]}")" "${S[2]}" "${S[3]}"
printf '%-42s %10s %8s\n' "PostgreSQL: plain INSERT (baseline)" "${P[0]}" "1.00"
printf '%-42s %10s %8s %16s %16s\n' "PostgreSQL: close-month" "${P[1]}" "$(ratio "${P[0]}" "${P[1]}")" "${P[2]}" "${P[3]}"
echo
echo "Probes during the close: SQLite ${S[4]} (errors ${S[5]}), PostgreSQL ${P[4]} (errors ${P[5]}). navigator verify after each close: no violation."
echo "Targets: the close at most 60 s on each database; ratio at least 0.2."

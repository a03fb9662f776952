#!/usr/bin/env bash
# Runs every test: the Swift tests on SQLite, the same tests on a throwaway PostgreSQL cluster
# (Debian's packages, loopback, started and stopped here), then the browser and API tests against
# a server on the demo. Installs what is missing (apt, pip). Exit code non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
need_apt() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (apt)"
    if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# ---- tools ------------------------------------------------------------------------------------
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt postgresql
need_apt chromium chromium-driver
need_apt zlib1g-dev   # the zlib headers for ZIPFoundation (the XLSX import)
python3 -c 'import selenium, pytest, requests, schemathesis, jsonschema, referencing' 2>/dev/null || { log "installing selenium, pytest, requests, schemathesis, jsonschema (pip)"; python3 -m pip install -q selenium pytest requests schemathesis jsonschema; }

# ---- build once -------------------------------------------------------------------------------
log "building (debug, with tests)"
swift build --build-tests 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Linking|Write|Building)' || { echo "build failed"; exit 1; }
BIN="$ROOT/.build/debug/navigator"

WORK=$(mktemp -d /tmp/navigator-test.XXXXXX)
PGDATA="$WORK/pg"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  if [ -f "$PGDATA/postmaster.pid" ]; then pg_run "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---- Swift tests on SQLite --------------------------------------------------------------------
# NAVIGATOR_DIFF_DIR: the write-path scenario's rows on SQLite are kept there, and the PostgreSQL run must match them.
log "Swift tests on SQLite"
NAVIGATOR_DIFF_DIR="$WORK/diff" NAVIGATOR_TEST_EXPECT_DB=sqlite swift test --skip-build 2>&1 | tee "$WORK/sqlite.log" | grep -E '^(✘|✔ Suite|✔ Test run|.*database engine)' || true
grep -q "✔ Test run with .* passed" "$WORK/sqlite.log" || { echo "Swift tests on SQLite failed:"; grep -E '✘' "$WORK/sqlite.log" | head -50; exit 1; }

# ---- Swift tests on PostgreSQL ----------------------------------------------------------------
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$PGDATA"; [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$WORK"
PGPORT=$(free_port)
log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT (throwaway cluster in $PGDATA)"
pg_run "$PGBIN/initdb" -D "$PGDATA" -U navigator --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
pg_run "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
  -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
log "Swift tests on PostgreSQL"
TEST_DATABASE_URL="postgres://navigator@127.0.0.1:$PGPORT/postgres" NAVIGATOR_TEST_EXPECT_DB=postgres NAVIGATOR_DIFF_DIR="$WORK/diff" \
  swift test --skip-build 2>&1 | tee "$WORK/postgres.log" | grep -E '^(✘|✔ Suite|✔ Test run|.*database engine)' || true
grep -q "✔ Test run with .* passed" "$WORK/postgres.log" || { echo "Swift tests on PostgreSQL failed:"; grep -E '✘' "$WORK/postgres.log" | head -50; exit 1; }

# A real server on PostgreSQL: 64 clients enroll at once, then `navigator verify` on its database.
wait_ready() {
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$2"; exit 1; }
    sleep 0.5
  done
  echo "server on port $1 did not become ready"; cat "$2"; exit 1
}
PG_E2E_URL="postgres://navigator@127.0.0.1:$PGPORT/navigator_e2e"
pg_run "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U navigator navigator_e2e
PORT=$(free_port)
log "enrollment under load against navigator serve --demo on 127.0.0.1:$PORT (PostgreSQL)"
( DATABASE_URL="$PG_E2E_URL" BCRYPT_COST=8 LOG_LEVEL=warning "$BIN" serve --demo --port "$PORT" > "$WORK/server-pg.log" 2>&1 ) &
SERVER_PID=$!
wait_ready "$PORT" "$WORK/server-pg.log"
NAVIGATOR_URL="http://127.0.0.1:$PORT" NAVIGATOR_BIN="$BIN" DATABASE_URL="$PG_E2E_URL" \
  python3 -m pytest -q -p no:cacheprovider e2e/test_enrollment.py
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
pg_run "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null

# ---- browser and API tests --------------------------------------------------------------------
PORT=$(free_port)
log "browser and API tests against navigator serve --demo on 127.0.0.1:$PORT (SQLite)"
( DATABASE_URL="sqlite://$WORK/e2e.sqlite" BCRYPT_COST=8 LOG_LEVEL=warning \
    "$BIN" serve --demo --port "$PORT" > "$WORK/server.log" 2>&1 ) &
SERVER_PID=$!
wait_ready "$PORT" "$WORK/server.log"
NAVIGATOR_URL="http://127.0.0.1:$PORT" NAVIGATOR_BIN="$BIN" DATABASE_URL="sqlite://$WORK/e2e.sqlite" \
  python3 -m pytest -q -p no:cacheprovider e2e

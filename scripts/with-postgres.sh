#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL on 127.0.0.1: a fresh data folder and a free port,
# TEST_DATABASE_URL and BENCH_DATABASE_URL set for the command, the server stopped and its folder
# removed afterwards. PostgreSQL comes from Debian's packages (installed when missing; needs root).
# When it cannot be set up, the command still runs, without those variables, after a loud warning
# (the Postgres tests and benchmarks then skip themselves and say so).
#   scripts/with-postgres.sh npm test
#   scripts/with-postgres.sh npx tsx bench/scale.ts 10000,100000
set -uo pipefail

PG_DIR=""
PG_BIN=""
stop_postgres() {
  if [ -n "$PG_DIR" ] && [ -n "$PG_BIN" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
  return 0
}
trap stop_postgres EXIT

start_postgres() {
  [ "$(id -u)" = 0 ] || { echo "not root: cannot install or start PostgreSQL"; return 1; }
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "installing PostgreSQL from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || return 1
  fi
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  id postgres >/dev/null 2>&1 || return 1
  # A fresh data folder and a free port each run, so an earlier run (or the system's own cluster) never clashes.
  PG_DIR=$(mktemp -d /tmp/newsroom-pg.XXXXXX)
  chown postgres "$PG_DIR"
  local port
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c max_connections=200 -c shared_buffers=256MB" start >/dev/null || { cat "$PG_DIR/server.log"; return 1; }
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  export BENCH_DATABASE_URL="$TEST_DATABASE_URL"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $PG_DIR)"
}

if ! start_postgres; then
  echo "::warning:: PostgreSQL could not be set up: the Postgres backend tests and benchmarks will be SKIPPED" >&2
  unset TEST_DATABASE_URL BENCH_DATABASE_URL
fi
"$@"

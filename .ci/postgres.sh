#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the store tests and print the shell lines that use it:
#
#   eval "$(bash .ci/postgres.sh)"
#
# prints `export CODI_GEO_TEST_POSTGRES_URL=postgresql+psycopg://...`, the command that stops
# the server (`CODI_GEO_TEST_POSTGRES_STOP`) and a `trap ... EXIT` that runs it when the calling
# shell exits. Everything else goes to stderr. Installs Debian's `postgresql` if the server
# binaries are missing. The cluster lives in a temporary folder owned by the `postgres` user
# (the server refuses to run as root), listens on 127.0.0.1 only, on the first free port from
# 55432, with trust authentication: it is for tests, never for data.
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

PG_BIN=${PG_BIN:-$(find_bin || true)}
if [ -z "$PG_BIN" ]; then
  log "postgres.sh: installing Debian package postgresql"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    postgresql >&2
  PG_BIN=$(find_bin)
fi

# Run server commands as `postgres` when we are root; otherwise as ourselves.
if [ "$(id -u)" = 0 ]; then
  as_pg() { runuser -u postgres -- "$@"; }
  run_prefix="runuser -u postgres --"
else
  as_pg() { "$@"; }
  run_prefix=""
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=${CODI_GEO_TEST_POSTGRES_PORT:-55432}
while port_in_use "$port"; do port=$((port + 1)); done

cluster=$(mktemp -d /tmp/codi-geo-pg.XXXXXX)
chmod 755 "$cluster"
[ "$(id -u)" = 0 ] && chown postgres: "$cluster"

as_pg "$PG_BIN/initdb" -D "$cluster/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
# Durability switched off: a test server that is thrown away gains speed and loses nothing.
as_pg "$PG_BIN/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
  -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off \
      -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
  || { cat "$cluster/server.log" >&2; exit 1; }
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres codi_geo_test

stop="$run_prefix $PG_BIN/pg_ctl -D $cluster/data -m fast stop >/dev/null 2>&1; rm -rf $cluster"
log "postgres.sh: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($cluster)"
printf "export CODI_GEO_TEST_POSTGRES_URL='postgresql+psycopg://postgres@127.0.0.1:%s/codi_geo_test'\n" "$port"
printf "export CODI_GEO_TEST_POSTGRES_STOP='%s'\n" "$stop"
printf "trap '%s' EXIT\n" "$stop"

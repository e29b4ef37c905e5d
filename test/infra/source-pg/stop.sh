#!/usr/bin/env bash
# Stops the source PostgreSQL cluster started by test/infra/source-pg/start.sh. Idempotent.
#
#   bash test/infra/source-pg/stop.sh            stop (fast shutdown), keep the data
#   bash test/infra/source-pg/stop.sh --clean    stop and delete the cluster entirely
#
# Environment: SOURCE_PG_PORT (default 5433), SOURCE_PG_VERSION, CDC_SINK_HOME.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=source-pg
PORT="${SOURCE_PG_PORT:-5433}"
BASE="$CDC_SINK_HOME/source-pg"
DATA="$BASE/data-$PORT"
OWNER=postgres
[ "$(id -u)" -eq 0 ] || OWNER="$(id -un)"

clean=false
for arg in "$@"; do
  case "$arg" in
    --clean) clean=true ;;
    *) die "$C" "unknown argument: $arg (usage: stop.sh [--clean])" ;;
  esac
done

if [ -f "$DATA/postmaster.pid" ]; then
  VER="${SOURCE_PG_VERSION:-$(cat "$DATA/PG_VERSION")}"
  BIN="/usr/lib/postgresql/$VER/bin"
  if run_as "$OWNER" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    log "$C" "stopping PostgreSQL on port $PORT"
    run_as "$OWNER" "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
    log "$C" "stopped"
  else
    log "$C" "not running (stale postmaster.pid)"
  fi
else
  log "$C" "not running"
fi

if $clean; then
  rm -rf "$DATA" "$BASE/postgres-$PORT.log" "$BASE/initdb-$PORT.log"
  log "$C" "removed $DATA"
fi

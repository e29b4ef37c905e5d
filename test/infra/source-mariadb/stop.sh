#!/usr/bin/env bash
# Stops the source mariadbd started by test/infra/source-mariadb/start.sh (pid file; SIGTERM,
# which is a clean shutdown for mariadbd, then SIGKILL). Idempotent.
#
#   bash test/infra/source-mariadb/stop.sh            stop, keep the data
#   bash test/infra/source-mariadb/stop.sh --clean    stop and delete the datadir entirely
#
# Environment: SOURCE_MARIADB_PORT (default 3307), CDC_SINK_HOME.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=source-mariadb
PORT="${SOURCE_MARIADB_PORT:-3307}"
BASE="$CDC_SINK_HOME/source-mariadb"

clean=false
for arg in "$@"; do
  case "$arg" in
    --clean) clean=true ;;
    *) die "$C" "unknown argument: $arg (usage: stop.sh [--clean])" ;;
  esac
done

stop_pidfile "$C" "$BASE/run-$PORT/mariadbd.pid" 60

if $clean; then
  rm -rf "$BASE/data-$PORT" "$BASE/run-$PORT" "/tmp/cdc-sink-mariadb-$PORT.sock"
  log "$C" "removed $BASE/data-$PORT and $BASE/run-$PORT"
fi

#!/usr/bin/env bash
# Stops the TLS-only PostgreSQL and MariaDB started by test/infra/tls-db/start.sh. Idempotent:
# whatever of the two is not running is skipped.
#
#   bash test/infra/tls-db/stop.sh            stop both, keep data and certificates
#   bash test/infra/tls-db/stop.sh --clean    stop both and delete $CDC_SINK_HOME/tls-db entirely
#
# Environment: TLS_PG_PORT (default 5434), TLS_MARIADB_PORT (default 3308), TLS_PG_VERSION, CDC_SINK_HOME.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=tls-db
PG_PORT="${TLS_PG_PORT:-5434}"
MY_PORT="${TLS_MARIADB_PORT:-3308}"
BASE="$CDC_SINK_HOME/tls-db"
PG_DATA="$BASE/pg-data-$PG_PORT"
MY_RUN="$BASE/mariadb-run-$MY_PORT"
PG_OWNER=postgres
[ "$(id -u)" -eq 0 ] || PG_OWNER="$(id -un)"

clean=false
for arg in "$@"; do
  case "$arg" in
    --clean) clean=true ;;
    *) die "$C" "unknown argument: $arg (usage: stop.sh [--clean])" ;;
  esac
done

status=0

if [ -f "$PG_DATA/postmaster.pid" ]; then
  PG_VER="${TLS_PG_VERSION:-$(cat "$PG_DATA/PG_VERSION")}"
  PG_BIN="/usr/lib/postgresql/$PG_VER/bin"
  if run_as "$PG_OWNER" "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    log "$C" "postgres: stopping PostgreSQL on port $PG_PORT"
    if run_as "$PG_OWNER" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null; then
      log "$C" "postgres: stopped"
    else
      log "$C" "postgres: pg_ctl stop failed (see $BASE/pg-$PG_PORT.log)"
      status=1
    fi
  else
    log "$C" "postgres: not running (stale postmaster.pid)"
  fi
else
  log "$C" "postgres: not running"
fi

# mariadbd: SIGTERM is a clean shutdown; SIGKILL after 60s
stop_pidfile "$C" "$MY_RUN/mariadbd.pid" 60 || status=1

if $clean; then
  rm -rf "$BASE" "/tmp/cdc-sink-tls-mariadb-$MY_PORT.sock"
  log "$C" "removed $BASE"
fi
exit "$status"

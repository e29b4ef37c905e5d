#!/usr/bin/env bash
# Starts a second PostgreSQL cluster used as the Debezium SOURCE (the machine's own cluster on
# 5432 stays the sink's target). Created once with initdb under $CDC_SINK_HOME/source-pg:
# wal_level=logical, replication slots and WAL senders, trust auth on 127.0.0.1 only (TCP; no unix
# socket), database `source`. Idempotent: exits 0 when it already accepts connections.
#
#   bash test/infra/source-pg/start.sh
#   psql -h 127.0.0.1 -p 5433 -U postgres source
#
# Environment:
#   SOURCE_PG_PORT      TCP port on 127.0.0.1 (default 5433)
#   SOURCE_PG_VERSION   major version under /usr/lib/postgresql (default: 15 if present, else the newest)
#   CDC_SINK_HOME       cache root (default <repo>/.cache); data in $CDC_SINK_HOME/source-pg/data-<port>
#   SOURCE_PG_START_TIMEOUT  seconds (default 60)
# As root the server runs as the `postgres` OS user (PostgreSQL refuses to run as root).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=source-pg
PORT="${SOURCE_PG_PORT:-5433}"
HOST=127.0.0.1
BASE="$CDC_SINK_HOME/source-pg"
DATA="$BASE/data-$PORT"
LOGFILE="$BASE/postgres-$PORT.log"
TIMEOUT="${SOURCE_PG_START_TIMEOUT:-60}"
OWNER=postgres
[ "$(id -u)" -eq 0 ] || OWNER="$(id -un)"

if [ -n "${SOURCE_PG_VERSION:-}" ]; then
  VER="$SOURCE_PG_VERSION"
elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  VER=15
else
  VER="$(find /usr/lib/postgresql -maxdepth 1 -mindepth 1 -printf '%f\n' 2>/dev/null | sort -n | tail -n 1)"
fi
BIN="/usr/lib/postgresql/$VER/bin"
[ -x "$BIN/initdb" ] || die "$C" "no PostgreSQL server binaries in $BIN (apt-get install postgresql-15)"

psql_q() { "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U postgres "$@"; }

ensure_database() {
  if [ "$(psql_q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'source'")" != 1 ]; then
    psql_q -d postgres -c 'CREATE DATABASE source'
    log "$C" "created database source"
  fi
}

if "$BIN/pg_isready" -q -h "$HOST" -p "$PORT" -t 2; then
  if [ "$(psql_q -d postgres -tAc 'SHOW wal_level' 2>/dev/null)" != logical ]; then
    die "$C" "a PostgreSQL server already runs on $HOST:$PORT without wal_level=logical (not ours? set SOURCE_PG_PORT)"
  fi
  ensure_database
  log "$C" "already running on $HOST:$PORT"
  exit 0
fi
if port_open "$HOST" "$PORT"; then
  die "$C" "port $PORT is in use by something that is not PostgreSQL (set SOURCE_PG_PORT)"
fi

t_start=$SECONDS
mkdir -p "$BASE"
chown "$OWNER" "$BASE"
if ! run_as "$OWNER" test -x "$BASE"; then
  die "$C" "user $OWNER cannot enter $BASE: every parent directory needs o+x (or set CDC_SINK_HOME elsewhere)"
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  log "$C" "initdb $DATA (PostgreSQL $VER)"
  rm -rf "$DATA"
  run_as "$OWNER" "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$BASE/initdb-$PORT.log" 2>&1 || { cat "$BASE/initdb-$PORT.log" >&2; die "$C" "initdb failed"; }
  cat >>"$DATA/postgresql.conf" <<EOF

# --- test/infra/source-pg/start.sh: Debezium source ---
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = ''
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
max_connections = 50
shared_buffers = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
  cat >"$DATA/pg_hba.conf" <<EOF
# test/infra/source-pg/start.sh: trust on loopback only (test cluster)
host all all $HOST/32 trust
host replication all $HOST/32 trust
EOF
fi

log "$C" "starting PostgreSQL $VER on $HOST:$PORT"
touch "$LOGFILE"
chown "$OWNER" "$LOGFILE"
if ! run_as "$OWNER" "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t "$TIMEOUT" start >/dev/null; then
  show_log_tail "$C" "$LOGFILE" 30
  die "$C" "PostgreSQL did not start on $HOST:$PORT within ${TIMEOUT}s"
fi
ensure_database
log "$C" "ready on $HOST:$PORT in $((SECONDS - t_start))s (data $DATA, log $LOGFILE)"

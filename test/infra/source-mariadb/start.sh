#!/usr/bin/env bash
# Starts a second mariadbd used as the Debezium SOURCE (the machine's own server on 3306 stays the
# sink's target), with its own datadir under $CDC_SINK_HOME/source-mariadb (mariadb-install-db),
# row-based binlog (log_bin, binlog_format=ROW, binlog_row_image=FULL, server_id=2), a database
# `source`, a user `debezium` with the replication grants Debezium documents, and root without
# password from 127.0.0.1. Idempotent: exits 0 when it already accepts connections.
#
#   bash test/infra/source-mariadb/start.sh
#   mariadb -h 127.0.0.1 -P 3307 -u root source
#
# Environment:
#   SOURCE_MARIADB_PORT       TCP port on 127.0.0.1 (default 3307)
#   SOURCE_MARIADB_PASSWORD   password of user debezium (default debezium)
#   SOURCE_MARIADB_START_TIMEOUT  seconds (default 60)
#   CDC_SINK_HOME             cache root (default <repo>/.cache); datadir .../source-mariadb/data-<port>
# The unix socket is /tmp/cdc-sink-mariadb-<port>.sock (short path; socket paths are limited to 107 bytes).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=source-mariadb
PORT="${SOURCE_MARIADB_PORT:-3307}"
HOST=127.0.0.1
PASSWORD="${SOURCE_MARIADB_PASSWORD:-debezium}"
BASE="$CDC_SINK_HOME/source-mariadb"
DATA="$BASE/data-$PORT"
RUN="$BASE/run-$PORT"
SOCKET="/tmp/cdc-sink-mariadb-$PORT.sock"
PIDFILE="$RUN/mariadbd.pid"
TIMEOUT="${SOURCE_MARIADB_START_TIMEOUT:-60}"
OWNER=mysql
[ "$(id -u)" -eq 0 ] || OWNER="$(id -un)"

for tool in mariadbd mariadb-install-db mariadb; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] \
    || die "$C" "$tool not found (apt-get install mariadb-server mariadb-client)"
done
MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"

sql() { mariadb --no-defaults -h "$HOST" -P "$PORT" -u root --protocol=TCP -N -B "$@"; }

# Runs at every start (mariadbd --init-file), so it must stay idempotent.
write_init_sql() {
  local pw="${PASSWORD//\'/\'\'}"
  cat >"$RUN/init.sql" <<EOF
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS source;
CREATE USER IF NOT EXISTS 'debezium'@'%' IDENTIFIED BY '$pw';
ALTER USER 'debezium'@'%' IDENTIFIED BY '$pw';
GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'debezium'@'%';
GRANT ALL PRIVILEGES ON source.* TO 'debezium'@'%';
EOF
  chmod 600 "$RUN/init.sql"
  chown "$OWNER" "$RUN/init.sql"
}

if port_open "$HOST" "$PORT"; then
  if [ "$(sql -e "SELECT @@log_bin, @@binlog_format, @@server_id" 2>/dev/null | tr '\t' ' ')" = "1 ROW 2" ]; then
    log "$C" "already running on $HOST:$PORT"
    exit 0
  fi
  die "$C" "port $PORT is in use by something that is not our binlog-enabled MariaDB (set SOURCE_MARIADB_PORT)"
fi
if pid="$(pid_alive "$PIDFILE")"; then
  die "$C" "mariadbd pid $pid is alive but does not answer on $HOST:$PORT; run test/infra/source-mariadb/stop.sh"
fi

t_start=$SECONDS
mkdir -p "$BASE" "$RUN"
chown "$OWNER" "$BASE" "$RUN"
if ! run_as "$OWNER" test -x "$BASE"; then
  die "$C" "user $OWNER cannot enter $BASE: every parent directory needs o+x (or set CDC_SINK_HOME elsewhere)"
fi

cat >"$RUN/my.cnf" <<EOF
# Written by test/infra/source-mariadb/start.sh: Debezium source server for tests. Do not edit.
[mariadbd]
user = $OWNER
datadir = $DATA
port = $PORT
bind-address = $HOST
socket = $SOCKET
pid-file = $PIDFILE
log-error = $RUN/error.log
skip-name-resolve
server_id = 2
log_bin = $DATA/binlog
binlog_format = ROW
binlog_row_image = FULL
expire_logs_days = 1
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
performance_schema = OFF
innodb_buffer_pool_size = 64M
innodb_log_file_size = 48M
innodb_flush_log_at_trx_commit = 2
sync_binlog = 0
max_connections = 100
EOF

if [ ! -d "$DATA/mysql" ]; then
  log "$C" "mariadb-install-db into $DATA"
  rm -rf "$DATA"
  mkdir -p "$DATA"
  chown "$OWNER" "$DATA"
  mariadb-install-db --defaults-file="$RUN/my.cnf" --auth-root-authentication-method=normal \
    --skip-test-db >"$RUN/install-db.log" 2>&1 \
    || { cat "$RUN/install-db.log" >&2; die "$C" "mariadb-install-db failed"; }
fi

write_init_sql
log "$C" "starting mariadbd on $HOST:$PORT"
nohup "$MARIADBD" --defaults-file="$RUN/my.cnf" --init-file="$RUN/init.sql" \
  >"$RUN/stdout.log" 2>&1 </dev/null &
pid=$!

deadline=$((t_start + TIMEOUT))
until sql -e 'SELECT 1' >/dev/null 2>&1; do
  if ! kill -0 "$pid" 2>/dev/null; then
    show_log_tail "$C" "$RUN/error.log" 30
    die "$C" "mariadbd exited during start-up"
  fi
  if ((SECONDS >= deadline)); then
    show_log_tail "$C" "$RUN/error.log" 30
    die "$C" "mariadbd did not accept connections on $HOST:$PORT within ${TIMEOUT}s (pid $pid; stop it with test/infra/source-mariadb/stop.sh)"
  fi
  sleep 0.5
done
# mariadbd writes its own pid file; keep ours in sync in case it has not yet
[ -f "$PIDFILE" ] || echo "$pid" >"$PIDFILE"
log "$C" "ready on $HOST:$PORT in $((SECONDS - t_start))s (pid $pid, datadir $DATA, log $RUN/error.log)"

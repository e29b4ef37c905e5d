#!/usr/bin/env bash
# Starts two target databases that REQUIRE TLS, for the TLS tests of the target connectors
# (test/integration/target-tls.test.ts): the machine's own servers on 5432 / 3306 have no TLS.
#   - PostgreSQL on 127.0.0.1:5434: ssl=on; pg_hba `hostssl ... trust`, `hostnossl ... reject`
#     (plain connections are refused); no unix socket; database `test`; user postgres.
#   - MariaDB on 127.0.0.1:3308: its own datadir (mariadb-install-db), socket and pid file;
#     --ssl-ca/--ssl-cert/--ssl-key, require_secure_transport=ON; root without password from
#     127.0.0.1 (over TLS only); database `test`.
# Both use a throwaway test CA generated here with openssl. Idempotent: a server that already
# answers over TLS is left as it is.
#
#   bash test/infra/tls-db/start.sh
#   psql "host=127.0.0.1 port=5434 user=postgres dbname=test sslmode=verify-full sslrootcert=$CDC_SINK_HOME/tls-db/tls/ca.crt"
#   mariadb -h 127.0.0.1 -P 3308 -u root --ssl-ca="$CDC_SINK_HOME/tls-db/tls/ca.crt" --ssl-verify-server-cert test
#
# What it creates, under $CDC_SINK_HOME/tls-db (default <repo>/.cache/tls-db):
#   tls/ca.crt          PEM of the CA that signed both servers' certificate (give it to clients)
#   tls/other-ca.crt    PEM of an unrelated CA (for "wrong CA" tests)
#   tls/server.crt,key  the servers' certificate (CN=localhost, SAN IP:127.0.0.1, DNS:localhost)
#   pg-data-<port>/     the PostgreSQL cluster; log pg-<port>.log
#   mariadb-data-<port>/, mariadb-run-<port>/ (my.cnf, init.sql, error.log, pid, socket)
#
# Environment:
#   TLS_PG_PORT            PostgreSQL TCP port on 127.0.0.1 (default 5434)
#   TLS_MARIADB_PORT       MariaDB TCP port on 127.0.0.1 (default 3308)
#   TLS_PG_VERSION         major version under /usr/lib/postgresql (default: 15 if present, else the newest)
#   TLS_DB_START_TIMEOUT   seconds to wait for each server (default 60)
#   CDC_SINK_HOME          cache root (default <repo>/.cache)
# As root, PostgreSQL runs as the `postgres` OS user and mariadbd as `mysql`.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=tls-db
HOST=127.0.0.1
PG_PORT="${TLS_PG_PORT:-5434}"
MY_PORT="${TLS_MARIADB_PORT:-3308}"
TIMEOUT="${TLS_DB_START_TIMEOUT:-60}"
BASE="$CDC_SINK_HOME/tls-db"
TLS="$BASE/tls"
CA="$TLS/ca.crt"
PG_OWNER=postgres
MY_OWNER=mysql
if [ "$(id -u)" -ne 0 ]; then
  PG_OWNER="$(id -un)"
  MY_OWNER="$(id -un)"
fi

command -v openssl >/dev/null 2>&1 || die "$C" "openssl is needed to generate the test CA and certificates"
t_start=$SECONDS
mkdir -p "$BASE"
chmod 755 "$BASE"

# --- TLS material (once) ---------------------------------------------------------------------
# new_ca DIR NAME : self-signed CA certificate DIR/NAME.crt with key DIR/NAME.key
new_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -keyout "$1/$2.key" -out "$1/$2.crt" \
    -subj "/CN=cdc-sink tls-db test $2" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
}
if [ ! -f "$TLS/server.crt" ] || [ ! -f "$TLS/server.key" ] || [ ! -f "$CA" ] || [ ! -f "$TLS/other-ca.crt" ]; then
  log "$C" "generating a test CA, an unrelated CA and the server certificate in $TLS"
  tmp="$TLS.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  new_ca "$tmp" ca || die "$C" "openssl could not create the CA"
  new_ca "$tmp" other-ca || die "$C" "openssl could not create the second CA"
  openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$tmp/server.key" -out "$tmp/server.csr" \
    -subj "/CN=localhost" >/dev/null 2>&1 || die "$C" "openssl could not create the server key"
  printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'extendedKeyUsage=serverAuth' \
    'keyUsage=critical,digitalSignature,keyEncipherment' 'basicConstraints=CA:FALSE' \
    'subjectKeyIdentifier=hash' 'authorityKeyIdentifier=keyid' >"$tmp/server.ext"
  openssl x509 -req -sha256 -days 3650 -in "$tmp/server.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" \
    -CAcreateserial -extfile "$tmp/server.ext" -out "$tmp/server.crt" >/dev/null 2>&1 \
    || die "$C" "openssl could not sign the server certificate"
  openssl verify -CAfile "$tmp/ca.crt" "$tmp/server.crt" >/dev/null || die "$C" "the new server certificate does not verify"
  chmod 600 "$tmp"/*.key
  chmod 644 "$tmp"/*.crt
  rm -rf "$TLS"
  mv "$tmp" "$TLS"
fi
chmod 755 "$TLS"

# install_key_pair DIR OWNER : copies the server certificate and key into DIR, readable by OWNER
# only (PostgreSQL refuses a key file that others can read).
install_key_pair() {
  local dir="$1" owner="$2"
  install -m 644 -o "$owner" "$TLS/server.crt" "$dir/server.crt"
  install -m 600 -o "$owner" "$TLS/server.key" "$dir/server.key"
  install -m 644 -o "$owner" "$CA" "$dir/ca.crt"
}

# --- PostgreSQL --------------------------------------------------------------------------------
if [ -n "${TLS_PG_VERSION:-}" ]; then
  PG_VER="$TLS_PG_VERSION"
elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  PG_VER=15
else
  PG_VER="$(find /usr/lib/postgresql -maxdepth 1 -mindepth 1 -printf '%f\n' 2>/dev/null | sort -n | tail -n 1)"
fi
PG_BIN="/usr/lib/postgresql/$PG_VER/bin"
PG_DATA="$BASE/pg-data-$PG_PORT"
PG_LOG="$BASE/pg-$PG_PORT.log"
[ -x "$PG_BIN/initdb" ] || die "$C" "no PostgreSQL server binaries in $PG_BIN (apt-get install postgresql-15)"

# psql over TLS, verifying the server against our CA (the only way in).
pg_q() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    "host=$HOST port=$PG_PORT user=postgres dbname=${1} sslmode=verify-full sslrootcert=$CA connect_timeout=5" \
    "${@:2}"
}

pg_ensure_database() {
  if [ "$(pg_q postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'")" != 1 ]; then
    pg_q postgres -c 'CREATE DATABASE test' >/dev/null
    log "$C" "postgres: created database test"
  fi
}

pg_start() {
  if port_open "$HOST" "$PG_PORT"; then
    if [ "$(pg_q postgres -tAc 'SHOW ssl' 2>/dev/null)" = on ]; then
      pg_ensure_database
      log "$C" "postgres: already running on $HOST:$PG_PORT with TLS (log $PG_LOG)"
      return 0
    fi
    if [ -f "$PG_DATA/postmaster.pid" ] && run_as "$PG_OWNER" "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
      die "$C" "postgres: our cluster runs on $HOST:$PG_PORT but does not verify against $CA (certificates regenerated?); run test/infra/tls-db/stop.sh and start again"
    fi
    die "$C" "postgres: port $PG_PORT is in use by something that is not our TLS PostgreSQL (set TLS_PG_PORT)"
  fi

  if ! run_as "$PG_OWNER" test -x "$BASE"; then
    die "$C" "user $PG_OWNER cannot enter $BASE: every parent directory needs o+x (or set CDC_SINK_HOME elsewhere)"
  fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "$C" "postgres: initdb $PG_DATA (PostgreSQL $PG_VER)"
    rm -rf "$PG_DATA"
    mkdir -m 700 "$PG_DATA"
    chown "$PG_OWNER" "$PG_DATA"
    run_as "$PG_OWNER" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$BASE/pg-initdb-$PG_PORT.log" 2>&1 || { cat "$BASE/pg-initdb-$PG_PORT.log" >&2; die "$C" "postgres: initdb failed"; }
    cat >>"$PG_DATA/postgresql.conf" <<EOF

# --- test/infra/tls-db/start.sh: TLS-only target for tests ---
listen_addresses = '$HOST'
port = $PG_PORT
unix_socket_directories = ''
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_min_protocol_version = 'TLSv1.2'
max_connections = 50
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
    cat >"$PG_DATA/pg_hba.conf" <<EOF
# test/infra/tls-db/start.sh: TLS only, trust on loopback (test cluster); plain TCP is refused
hostssl all all $HOST/32 trust
hostnossl all all $HOST/32 reject
hostnossl all all 0.0.0.0/0 reject
EOF
  fi
  # Every start: the current certificate (relative paths are read from the data directory).
  install_key_pair "$PG_DATA" "$PG_OWNER"

  log "$C" "postgres: starting PostgreSQL $PG_VER on $HOST:$PG_PORT (TLS only)"
  touch "$PG_LOG"
  chown "$PG_OWNER" "$PG_LOG"
  if ! run_as "$PG_OWNER" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$TIMEOUT" start >/dev/null; then
    show_log_tail "$C" "$PG_LOG" 30
    die "$C" "postgres: did not start on $HOST:$PG_PORT within ${TIMEOUT}s"
  fi
  local deadline=$((SECONDS + TIMEOUT))
  until pg_q postgres -tAc 'SELECT 1' >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      show_log_tail "$C" "$PG_LOG" 30
      die "$C" "postgres: started but does not answer over TLS on $HOST:$PG_PORT (stop it with test/infra/tls-db/stop.sh)"
    fi
    sleep 0.5
  done
  pg_ensure_database
  log "$C" "postgres: ready on $HOST:$PG_PORT (data $PG_DATA, log $PG_LOG)"
}

# --- MariaDB -----------------------------------------------------------------------------------
MY_DATA="$BASE/mariadb-data-$MY_PORT"
MY_RUN="$BASE/mariadb-run-$MY_PORT"
MY_PIDFILE="$MY_RUN/mariadbd.pid"
MY_SOCKET="$MY_RUN/mariadbd.sock"
# unix socket paths are limited to 107 bytes: fall back to /tmp for a deep CDC_SINK_HOME
if [ "${#MY_SOCKET}" -gt 100 ]; then MY_SOCKET="/tmp/cdc-sink-tls-mariadb-$MY_PORT.sock"; fi

# mariadb over TLS as root, verifying the server against our CA.
my_q() {
  mariadb --no-defaults -h "$HOST" -P "$MY_PORT" -u root --protocol=TCP --connect-timeout=5 \
    --ssl --ssl-ca="$CA" --ssl-verify-server-cert -N -B "$@"
}

my_start() {
  for tool in mariadbd mariadb-install-db mariadb; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] \
      || die "$C" "$tool not found (apt-get install mariadb-server mariadb-client)"
  done
  local mariadbd pid
  mariadbd="$(command -v mariadbd || echo /usr/sbin/mariadbd)"

  if port_open "$HOST" "$MY_PORT"; then
    if [ "$(my_q -e 'SELECT @@require_secure_transport' 2>/dev/null)" = 1 ]; then
      log "$C" "mariadb: already running on $HOST:$MY_PORT with TLS required (log $MY_RUN/error.log)"
      return 0
    fi
    if pid="$(pid_alive "$MY_PIDFILE")"; then
      die "$C" "mariadb: our mariadbd (pid $pid) runs on $HOST:$MY_PORT but does not verify against $CA or does not require TLS; run test/infra/tls-db/stop.sh and start again"
    fi
    die "$C" "mariadb: port $MY_PORT is in use by something that is not our TLS MariaDB (set TLS_MARIADB_PORT)"
  fi
  if pid="$(pid_alive "$MY_PIDFILE")"; then
    die "$C" "mariadb: mariadbd pid $pid is alive but does not answer on $HOST:$MY_PORT; run test/infra/tls-db/stop.sh"
  fi

  mkdir -p "$MY_RUN"
  chown "$MY_OWNER" "$MY_RUN"
  if ! run_as "$MY_OWNER" test -x "$MY_RUN"; then
    die "$C" "user $MY_OWNER cannot enter $MY_RUN: every parent directory needs o+x (or set CDC_SINK_HOME elsewhere)"
  fi
  install_key_pair "$MY_RUN" "$MY_OWNER"

  cat >"$MY_RUN/my.cnf" <<EOF
# Written by test/infra/tls-db/start.sh: TLS-only MariaDB target for tests. Do not edit.
[mariadbd]
user = $MY_OWNER
datadir = $MY_DATA
port = $MY_PORT
bind-address = $HOST
socket = $MY_SOCKET
pid-file = $MY_PIDFILE
log-error = $MY_RUN/error.log
skip-name-resolve
skip-log-bin
ssl-ca = $MY_RUN/ca.crt
ssl-cert = $MY_RUN/server.crt
ssl-key = $MY_RUN/server.key
require_secure_transport = ON
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
performance_schema = OFF
innodb_buffer_pool_size = 32M
innodb_log_file_size = 48M
innodb_flush_log_at_trx_commit = 2
max_connections = 50
EOF

  if [ ! -d "$MY_DATA/mysql" ]; then
    log "$C" "mariadb: mariadb-install-db into $MY_DATA"
    rm -rf "$MY_DATA"
    mkdir -p "$MY_DATA"
    chown "$MY_OWNER" "$MY_DATA"
    mariadb-install-db --defaults-file="$MY_RUN/my.cnf" --auth-root-authentication-method=normal \
      --skip-test-db >"$MY_RUN/install-db.log" 2>&1 \
      || { cat "$MY_RUN/install-db.log" >&2; die "$C" "mariadb: mariadb-install-db failed"; }
  fi

  # Runs at every start (mariadbd --init-file), so it must stay idempotent.
  cat >"$MY_RUN/init.sql" <<'EOF'
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS test;
EOF
  chmod 600 "$MY_RUN/init.sql"
  chown "$MY_OWNER" "$MY_RUN/init.sql"

  log "$C" "mariadb: starting mariadbd on $HOST:$MY_PORT (TLS required)"
  local t0=$SECONDS
  nohup "$mariadbd" --defaults-file="$MY_RUN/my.cnf" --init-file="$MY_RUN/init.sql" \
    >"$MY_RUN/stdout.log" 2>&1 </dev/null &
  pid=$!
  until my_q -e 'SELECT 1' >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log_tail "$C" "$MY_RUN/error.log" 30
      die "$C" "mariadb: mariadbd exited during start-up"
    fi
    if ((SECONDS - t0 >= TIMEOUT)); then
      show_log_tail "$C" "$MY_RUN/error.log" 30
      die "$C" "mariadb: did not accept TLS connections on $HOST:$MY_PORT within ${TIMEOUT}s (pid $pid; stop it with test/infra/tls-db/stop.sh)"
    fi
    sleep 0.5
  done
  # mariadbd writes its own pid file; keep ours in sync in case it has not yet
  [ -f "$MY_PIDFILE" ] || echo "$pid" >"$MY_PIDFILE"
  log "$C" "mariadb: ready on $HOST:$MY_PORT (pid $pid, datadir $MY_DATA, log $MY_RUN/error.log)"
}

pg_start
my_start
log "$C" "both TLS targets ready in $((SECONDS - t_start))s; CA $CA (unrelated CA $TLS/other-ca.crt)"

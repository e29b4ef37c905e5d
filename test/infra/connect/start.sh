#!/usr/bin/env bash
# Starts a Kafka Connect worker in distributed mode with the Debezium PostgreSQL and MariaDB source
# connectors on its plugin path; jars come from Maven Central. Idempotent: exits 0 at once when
# the worker already answers and lists the Debezium plugins. Starts the local broker first
# (test/infra/kafka/start.sh) unless CONNECT_BOOTSTRAP_SERVERS points elsewhere.
#
#   bash test/infra/connect/start.sh
#   curl -s 127.0.0.1:8083/connector-plugins
#
# Environment:
#   CONNECT_PORT               REST API on http://127.0.0.1:PORT (default 8083)
#   CONNECT_BOOTSTRAP_SERVERS  broker(s) (default 127.0.0.1:${KAFKA_PORT:-9092}, started if needed)
#   CONNECT_HEAP_OPTS          JVM heap (default -Xms256m -Xmx768m)
#   CONNECT_START_TIMEOUT      seconds to wait for the REST API and plugins (default 180)
#   CDC_SINK_HOME              cache root (default <repo>/.cache): jars in $CDC_SINK_HOME/connect/libs,
#                              plugins in .../connect/plugins, config/pid/logs in .../connect/run-<port>
#   JAVA_HOME                  JDK 17+ (default: java on PATH)
# Internal topics (one set per REST port): _cdc_sink_connect_{configs,offsets,status}_<port>.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=connect
PORT="${CONNECT_PORT:-8083}"
HOST=127.0.0.1
BOOTSTRAP="${CONNECT_BOOTSTRAP_SERVERS:-$HOST:${KAFKA_PORT:-9092}}"
BASE="$CDC_SINK_HOME/connect"
LIBS="$BASE/libs"
PLUGINS="$BASE/plugins"
RUN="$BASE/run-$PORT"
PIDFILE="$RUN/connect.pid"
TIMEOUT="${CONNECT_START_TIMEOUT:-180}"
URL="http://$HOST:$PORT"
REQUIRED_PLUGINS=(io.debezium.connector.postgresql.PostgresConnector io.debezium.connector.mariadb.MariaDbConnector)

t_start=$SECONDS

# connect_ready : the worker's herder is up and the Debezium connectors are loaded
connect_ready() {
  http_get "$URL/health" >/dev/null || return 1
  local plugins p
  plugins="$(http_get "$URL/connector-plugins")" || return 1
  for p in "${REQUIRED_PLUGINS[@]}"; do
    [[ "$plugins" == *"\"$p\""* ]] || return 1
  done
}

if port_open "$HOST" "$PORT"; then
  if connect_ready; then
    log "$C" "worker already running on $URL"
    exit 0
  fi
  if ! pid_alive "$PIDFILE" >/dev/null; then
    die "$C" "port $PORT is in use by something that is not a ready Connect worker with the Debezium plugins"
  fi
fi

if [ -z "${CONNECT_BOOTSTRAP_SERVERS:-}" ]; then
  bash "$INFRA_DIR/kafka/start.sh"
fi

JAVA="$(java_bin)" || die "$C" "cannot start Kafka Connect without Java 17+"
fetch_maven_deps "$C" "$INFRA_DIR/connect/pom.xml" "$LIBS"
for dir in "$INFRA_DIR"/connect/plugins/*/; do
  dir="${dir%/}"
  fetch_maven_deps "$C" "$dir/pom.xml" "$PLUGINS/$(basename "$dir")"
done

if pid="$(pid_alive "$PIDFILE")"; then
  log "$C" "worker process $pid already started: waiting for it to serve"
else
  mkdir -p "$RUN/logs"
  cat >"$RUN/worker.properties" <<EOF
# Written by test/infra/connect/start.sh: distributed Kafka Connect worker for tests. Do not edit.
bootstrap.servers=$BOOTSTRAP
group.id=cdc-sink-connect-$PORT
config.storage.topic=_cdc_sink_connect_configs_$PORT
config.storage.replication.factor=1
offset.storage.topic=_cdc_sink_connect_offsets_$PORT
offset.storage.replication.factor=1
offset.storage.partitions=5
status.storage.topic=_cdc_sink_connect_status_$PORT
status.storage.replication.factor=1
status.storage.partitions=3
key.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=true
value.converter=org.apache.kafka.connect.json.JsonConverter
value.converter.schemas.enable=true
listeners=http://$HOST:$PORT
rest.advertised.host.name=$HOST
rest.advertised.port=$PORT
plugin.path=$PLUGINS
# Debezium and Connect jars all ship ServiceLoader manifests: skip the slow reflective scan.
plugin.discovery=service_load
offset.flush.interval.ms=1000
scheduled.rebalance.max.delay.ms=0
task.shutdown.graceful.timeout.ms=5000
EOF
  cat >"$RUN/log4j2.properties" <<EOF
status = error
appender.file.type = RollingFile
appender.file.name = FILE
appender.file.fileName = $RUN/logs/connect.log
appender.file.filePattern = $RUN/logs/connect.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %X{connector.context}%m (%c:%L)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 20MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = info
rootLogger.appenderRef.file.ref = FILE
logger.clients.name = org.apache.kafka.clients
logger.clients.level = warn
logger.isolation.name = org.apache.kafka.connect.runtime.isolation
logger.isolation.level = warn
logger.jetty.name = org.eclipse.jetty
logger.jetty.level = warn
EOF
  log "$C" "starting worker on $URL (brokers $BOOTSTRAP, plugins $PLUGINS)"
  # shellcheck disable=SC2086
  nohup "$JAVA" ${CONNECT_HEAP_OPTS:--Xms256m -Xmx768m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$RUN/log4j2.properties" \
    -cp "$LIBS/*" org.apache.kafka.connect.cli.ConnectDistributed "$RUN/worker.properties" \
    >"$RUN/stdout.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDFILE"
fi

fail() {
  show_log_tail "$C" "$RUN/stdout.log" 20
  show_log_tail "$C" "$RUN/logs/connect.log" 40
  die "$C" "$1"
}

deadline=$((t_start + TIMEOUT))
until connect_ready; do
  kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; fail "worker process $pid exited during start-up"; }
  if ((SECONDS >= deadline)); then
    fail "worker on $URL did not serve /health and list ${REQUIRED_PLUGINS[*]} within ${TIMEOUT}s (pid $pid still running; stop it with test/infra/connect/stop.sh)"
  fi
  sleep 1
done
log "$C" "worker ready on $URL in $((SECONDS - t_start))s (pid $pid, logs $RUN/logs/connect.log)"

#!/usr/bin/env bash
# Starts a second Kafka Connect worker (distributed mode) whose plugin path holds the Debezium JDBC
# sink connector (io.debezium:debezium-connector-jdbc, pom.xml beside this file), for the benchmark
# (bench/). It shares the Connect runtime jars of test/infra/connect (same pom, same cache) but has
# its own REST port, internal topics, run directory and a fixed heap. Idempotent: exits 0 at once
# when the worker already answers and lists the JDBC sink plugin. Starts the local broker first
# unless CONNECT_BOOTSTRAP_SERVERS points elsewhere.
#
#   bash test/infra/jdbc-sink/start.sh
#   curl -s 127.0.0.1:8095/connector-plugins
#
# Environment:
#   JDBC_CONNECT_PORT          REST API on http://127.0.0.1:PORT (default 8095)
#   CONNECT_BOOTSTRAP_SERVERS  broker(s) (default 127.0.0.1:${KAFKA_PORT:-9092}, started if needed)
#   JDBC_CONNECT_HEAP_OPTS     JVM heap (default -Xms1g -Xmx1g: fixed, as the benchmark wants)
#   CONNECT_START_TIMEOUT      seconds to wait for the REST API and plugin (default 180)
#   CDC_SINK_HOME              cache root (default <repo>/.cache): Connect jars in $CDC_SINK_HOME/connect/libs,
#                              the plugin in $CDC_SINK_HOME/jdbc-sink/plugins, config/pid/logs in
#                              $CDC_SINK_HOME/jdbc-sink/run-<port>
#   JAVA_HOME                  JDK 17+ (default: java on PATH)
# Internal topics: _cdc_sink_jdbc_connect_{configs,offsets,status}_<port>.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=jdbc-sink
PORT="${JDBC_CONNECT_PORT:-8095}"
HOST=127.0.0.1
BOOTSTRAP="${CONNECT_BOOTSTRAP_SERVERS:-$HOST:${KAFKA_PORT:-9092}}"
LIBS="$CDC_SINK_HOME/connect/libs"
BASE="$CDC_SINK_HOME/jdbc-sink"
PLUGINS="$BASE/plugins"
RUN="$BASE/run-$PORT"
PIDFILE="$RUN/connect.pid"
TIMEOUT="${CONNECT_START_TIMEOUT:-180}"
URL="http://$HOST:$PORT"
PLUGIN_CLASS=io.debezium.connector.jdbc.JdbcSinkConnector

t_start=$SECONDS

connect_ready() {
  http_get "$URL/health" >/dev/null || return 1
  local plugins
  plugins="$(http_get "$URL/connector-plugins")" || return 1
  [[ "$plugins" == *"\"$PLUGIN_CLASS\""* ]]
}

if port_open "$HOST" "$PORT"; then
  if connect_ready; then
    log "$C" "worker already running on $URL"
    exit 0
  fi
  if ! pid_alive "$PIDFILE" >/dev/null; then
    die "$C" "port $PORT is in use by something that is not a ready Connect worker with $PLUGIN_CLASS"
  fi
fi

if [ -z "${CONNECT_BOOTSTRAP_SERVERS:-}" ]; then
  bash "$INFRA_DIR/kafka/start.sh"
fi

JAVA="$(java_bin)" || die "$C" "cannot start Kafka Connect without Java 17+"
fetch_maven_deps "$C" "$INFRA_DIR/connect/pom.xml" "$LIBS"
fetch_maven_deps "$C" "$INFRA_DIR/jdbc-sink/pom.xml" "$PLUGINS/debezium-jdbc"

if pid="$(pid_alive "$PIDFILE")"; then
  log "$C" "worker process $pid already started: waiting for it to serve"
else
  mkdir -p "$RUN/logs"
  cat >"$RUN/worker.properties" <<EOP
# Written by test/infra/jdbc-sink/start.sh: Connect worker for the Debezium JDBC sink. Do not edit.
bootstrap.servers=$BOOTSTRAP
group.id=cdc-sink-jdbc-connect-$PORT
config.storage.topic=_cdc_sink_jdbc_connect_configs_$PORT
config.storage.replication.factor=1
offset.storage.topic=_cdc_sink_jdbc_connect_offsets_$PORT
offset.storage.replication.factor=1
offset.storage.partitions=5
status.storage.topic=_cdc_sink_jdbc_connect_status_$PORT
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
plugin.discovery=service_load
# Lets a connector set consumer.override.* (max.poll.records matched to batch.size).
connector.client.config.override.policy=All
offset.flush.interval.ms=5000
scheduled.rebalance.max.delay.ms=0
task.shutdown.graceful.timeout.ms=10000
EOP
  cat >"$RUN/log4j2.properties" <<EOP
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
logger.hibernate.name = org.hibernate
logger.hibernate.level = warn
logger.c3p0.name = com.mchange
logger.c3p0.level = warn
EOP
  log "$C" "starting worker on $URL (brokers $BOOTSTRAP, plugins $PLUGINS)"
  # shellcheck disable=SC2086
  nohup "$JAVA" ${JDBC_CONNECT_HEAP_OPTS:--Xms1g -Xmx1g} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Duser.timezone=UTC -Dlog4j2.configurationFile="$RUN/log4j2.properties" \
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
    fail "worker on $URL did not serve /health and list $PLUGIN_CLASS within ${TIMEOUT}s (pid $pid still running; stop it with test/infra/jdbc-sink/stop.sh)"
  fi
  sleep 1
done
log "$C" "worker ready on $URL in $((SECONDS - t_start))s (pid $pid, logs $RUN/logs/connect.log)"

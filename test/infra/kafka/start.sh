#!/usr/bin/env bash
# Starts a single-node KRaft Apache Kafka broker (broker + controller in one JVM) from jars on
# Maven Central. Idempotent: exits 0 at once when a broker already answers on the port.
#
#   bash test/infra/kafka/start.sh
#
# Environment:
#   KAFKA_PORT              client listener, PLAINTEXT://127.0.0.1:PORT (default 9092)
#   KAFKA_CONTROLLER_PORT   KRaft controller listener (default 9093)
#   CDC_SINK_HOME           cache root (default <repo>/.cache); jars in $CDC_SINK_HOME/kafka/libs,
#                           data in $CDC_SINK_HOME/kafka/data-<port>, config/pid/logs in run-<port>
#   KAFKA_HEAP_OPTS         JVM heap (default -Xms256m -Xmx512m)
#   KAFKA_START_TIMEOUT     seconds to wait for the broker to serve (default 120)
#   JAVA_HOME               JDK 17+ (default: java on PATH)
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=kafka
PORT="${KAFKA_PORT:-9092}"
CPORT="${KAFKA_CONTROLLER_PORT:-9093}"
HOST=127.0.0.1
BASE="$CDC_SINK_HOME/kafka"
LIBS="$BASE/libs"
RUN="$BASE/run-$PORT"
DATA="$BASE/data-$PORT"
PIDFILE="$RUN/kafka.pid"
TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
POM="$INFRA_DIR/kafka/pom.xml"

t_start=$SECONDS
JAVA="$(java_bin)" || die "$C" "cannot start Kafka without Java 17+"

# Tools (TopicCommand, StorageTool) log only warnings, to stderr.
write_tools_log_config() {
  mkdir -p "$RUN"
  cat >"$RUN/tools-log4j2.properties" <<'EOF'
status = error
appender.err.type = Console
appender.err.name = ERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.err.ref = ERR
EOF
}

# kafka_answers : a metadata round trip (list topics) through the AdminClient in kafka-tools
kafka_answers() {
  [ -d "$LIBS" ] || return 1
  printf 'request.timeout.ms=5000\ndefault.api.timeout.ms=8000\n' >"$RUN/tools-admin.properties"
  timeout 30 "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$RUN/tools-log4j2.properties" \
    -cp "$LIBS/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$HOST:$PORT" --command-config "$RUN/tools-admin.properties" --list \
    >/dev/null 2>"$RUN/tools-last-error.log"
}

mkdir -p "$RUN"
write_tools_log_config

if port_open "$HOST" "$PORT"; then
  if ! pid_alive "$PIDFILE" >/dev/null && [ ! -d "$LIBS" ]; then
    # Someone else's broker (e.g. CI's): we cannot check it without our jars; trust the port.
    log "$C" "something already listens on $HOST:$PORT (not started by us): assuming it is a Kafka broker"
    exit 0
  fi
  if kafka_answers; then
    log "$C" "broker already running on $HOST:$PORT"
    exit 0
  fi
  if ! pid_alive "$PIDFILE" >/dev/null; then
    cat "$RUN/tools-last-error.log" >&2 || true
    die "$C" "port $PORT is in use by something that does not answer Kafka metadata requests"
  fi
  log "$C" "our broker (pid $(cat "$PIDFILE")) is up but not serving yet: waiting"
fi

fetch_maven_deps "$C" "$POM" "$LIBS"

if pid="$(pid_alive "$PIDFILE")"; then
  log "$C" "broker process $pid already started: waiting for it to serve"
else
  if port_open "$HOST" "$CPORT"; then
    die "$C" "controller port $CPORT is in use by another process (set KAFKA_CONTROLLER_PORT)"
  fi
  mkdir -p "$DATA" "$RUN/logs"
  cat >"$RUN/server.properties" <<EOF
# Written by test/infra/kafka/start.sh: single-node KRaft broker for tests. Do not edit.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CPORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=$DATA
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
background.threads=4
log.retention.hours=24
log.segment.bytes=67108864
EOF
  cat >"$RUN/log4j2.properties" <<EOF
status = error
appender.file.type = RollingFile
appender.file.name = FILE
appender.file.fileName = $RUN/logs/server.log
appender.file.filePattern = $RUN/logs/server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 20MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = info
rootLogger.appenderRef.file.ref = FILE
logger.request.name = kafka.request.logger
logger.request.level = warn
logger.authorizer.name = kafka.authorizer.logger
logger.authorizer.level = warn
logger.controller.name = org.apache.kafka.controller
logger.controller.level = info
EOF

  if [ ! -f "$DATA/meta.properties" ]; then
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    log "$C" "formatting storage $DATA (cluster id $cluster_id)"
    "$JAVA" -Xmx256m -Dlog4j2.configurationFile="$RUN/tools-log4j2.properties" \
      -cp "$LIBS/*" kafka.tools.StorageTool format --ignore-formatted \
      -t "$cluster_id" -c "$RUN/server.properties" >"$RUN/format.log" 2>&1 \
      || { cat "$RUN/format.log" >&2; die "$C" "storage format failed"; }
  fi

  log "$C" "starting broker on $HOST:$PORT (controller $CPORT)"
  # shellcheck disable=SC2086
  nohup "$JAVA" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$RUN/log4j2.properties" \
    -Dkafka.logs.dir="$RUN/logs" \
    -cp "$LIBS/*" kafka.Kafka "$RUN/server.properties" \
    >"$RUN/stdout.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDFILE"
fi

fail() {
  show_log_tail "$C" "$RUN/stdout.log" 20
  show_log_tail "$C" "$RUN/logs/server.log" 40
  die "$C" "$1"
}

if ! wait_for_port "$HOST" "$PORT" "$TIMEOUT" "$pid"; then
  kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; fail "broker process $pid exited during start-up"; }
  fail "broker did not open $HOST:$PORT within ${TIMEOUT}s (pid $pid still running; stop it with test/infra/kafka/stop.sh)"
fi
deadline=$((t_start + TIMEOUT))
until kafka_answers; do
  kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; fail "broker process $pid exited during start-up"; }
  if ((SECONDS >= deadline)); then
    cat "$RUN/tools-last-error.log" >&2 || true
    fail "broker on $HOST:$PORT did not answer a metadata request within ${TIMEOUT}s"
  fi
  sleep 1
done
log "$C" "broker ready on $HOST:$PORT in $((SECONDS - t_start))s (pid $pid, logs $RUN/logs/server.log)"

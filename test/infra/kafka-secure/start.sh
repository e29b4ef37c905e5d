#!/usr/bin/env bash
# Starts a second single-node KRaft Kafka broker for security tests: one SASL_SSL listener for
# clients (and inter-broker traffic) with TLS from a test CA generated here and SASL mechanisms
# PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, plus a PLAINTEXT listener used by the controller only.
# Reuses the jars of test/infra/kafka. Idempotent: exits 0 at once when the broker already answers.
#
#   bash test/infra/kafka-secure/start.sh
#
# What it creates, under $CDC_SINK_HOME/kafka-secure (default <repo>/.cache/kafka-secure):
#   tls/ca.crt            PEM of the CA that signed the broker (give it to clients as kafka.tls.ca)
#   tls/other-ca.crt      PEM of an unrelated CA (for "wrong CA" tests)
#   tls/server.p12        broker key + certificate (SAN: DNS:localhost, IP:127.0.0.1)
#   run-<port>/client.properties   admin client config for the Kafka CLI tools (SASL_SSL, PLAIN)
# Users (test-only credentials, fixed so that tests can use them):
#   PLAIN          admin / admin-secret (also inter-broker), alice / alice-secret
#   SCRAM-SHA-256  scram256 / scram256-secret      (created with kafka-storage format --add-scram)
#   SCRAM-SHA-512  scram512 / scram512-secret
#
# Environment:
#   KAFKA_SECURE_PORT             SASL_SSL listener on 127.0.0.1 (default 19094)
#   KAFKA_SECURE_CONTROLLER_PORT  KRaft controller listener, PLAINTEXT (default 19095)
#   CDC_SINK_HOME                 cache root (default <repo>/.cache); jars from $CDC_SINK_HOME/kafka/libs
#   KAFKA_HEAP_OPTS               JVM heap (default -Xms128m -Xmx384m)
#   KAFKA_START_TIMEOUT           seconds to wait for the broker (default 120)
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=kafka-secure
PORT="${KAFKA_SECURE_PORT:-19094}"
CPORT="${KAFKA_SECURE_CONTROLLER_PORT:-19095}"
HOST=127.0.0.1
LIBS="$CDC_SINK_HOME/kafka/libs"
BASE="$CDC_SINK_HOME/kafka-secure"
TLS="$BASE/tls"
RUN="$BASE/run-$PORT"
DATA="$BASE/data-$PORT"
PIDFILE="$RUN/kafka.pid"
TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
STOREPASS=test-store-secret

t_start=$SECONDS
JAVA="$(java_bin)" || die "$C" "cannot start Kafka without Java 17+"
command -v openssl >/dev/null 2>&1 || die "$C" "openssl is needed to generate the test CA and certificates"
mkdir -p "$RUN" "$TLS"

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

# --- TLS material (once) ---------------------------------------------------------------------
# new_ca NAME : self-signed CA certificate NAME.crt with key NAME.key
new_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -keyout "$TLS/$1.key" -out "$TLS/$1.crt" \
    -subj "/CN=cdc-sink test $1" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
}
if [ ! -f "$TLS/server.p12" ]; then
  log "$C" "generating a test CA and the broker certificate in $TLS"
  rm -f "$TLS"/*
  new_ca ca || die "$C" "openssl could not create the CA"
  new_ca other-ca || die "$C" "openssl could not create the second CA"
  openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$TLS/server.key" -out "$TLS/server.csr" \
    -subj "/CN=localhost" >/dev/null 2>&1 || die "$C" "openssl could not create the server key"
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n' >"$TLS/server.ext"
  openssl x509 -req -sha256 -days 3650 -in "$TLS/server.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" \
    -CAcreateserial -extfile "$TLS/server.ext" -out "$TLS/server.crt" >/dev/null 2>&1 \
    || die "$C" "openssl could not sign the server certificate"
  openssl pkcs12 -export -in "$TLS/server.crt" -inkey "$TLS/server.key" -certfile "$TLS/ca.crt" \
    -name broker -out "$TLS/server.p12.tmp" -passout "pass:$STOREPASS" || die "$C" "openssl pkcs12 failed"
  mv "$TLS/server.p12.tmp" "$TLS/server.p12"
fi

cat >"$RUN/client.properties" <<EOF
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret";
ssl.truststore.type=PEM
ssl.truststore.location=$TLS/ca.crt
request.timeout.ms=5000
default.api.timeout.ms=8000
EOF

# kafka_answers : a metadata round trip (list topics) over SASL_SSL as admin
kafka_answers() {
  timeout 30 "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$RUN/tools-log4j2.properties" \
    -cp "$LIBS/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$HOST:$PORT" --command-config "$RUN/client.properties" --list \
    >/dev/null 2>"$RUN/tools-last-error.log"
}

if port_open "$HOST" "$PORT"; then
  if kafka_answers; then
    log "$C" "broker already running on $HOST:$PORT"
    exit 0
  fi
  pid_alive "$PIDFILE" >/dev/null || { cat "$RUN/tools-last-error.log" >&2; die "$C" "port $PORT is in use by something that is not our secure broker"; }
  log "$C" "our broker (pid $(cat "$PIDFILE")) is up but not serving yet: waiting"
fi

# Jars: the same as test/infra/kafka (fetched there when missing).
fetch_maven_deps "$C" "$INFRA_DIR/kafka/pom.xml" "$LIBS"

if pid="$(pid_alive "$PIDFILE")"; then
  log "$C" "broker process $pid already started: waiting for it to serve"
else
  port_open "$HOST" "$CPORT" && die "$C" "controller port $CPORT is in use (set KAFKA_SECURE_CONTROLLER_PORT)"
  mkdir -p "$DATA" "$RUN/logs"
  plain_users='username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret"'
  cat >"$RUN/server.properties" <<EOF
# Written by test/infra/kafka-secure/start.sh: single-node KRaft broker with SASL_SSL. Do not edit.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CPORT
listeners=SASL_SSL://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=SASL_SSL://$HOST:$PORT
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
inter.broker.listener.name=SASL_SSL
controller.listener.names=CONTROLLER

sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=PLAIN
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required $plain_users;
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;

ssl.keystore.type=PKCS12
ssl.keystore.location=$TLS/server.p12
ssl.keystore.password=$STOREPASS
ssl.key.password=$STOREPASS
ssl.truststore.type=PEM
ssl.truststore.location=$TLS/ca.crt
ssl.client.auth=none
ssl.endpoint.identification.algorithm=https

log.dirs=$DATA
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=5
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
background.threads=2
log.retention.hours=24
log.segment.bytes=16777216
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
appender.file.strategy.max = 2
rootLogger.level = info
rootLogger.appenderRef.file.ref = FILE
logger.request.name = kafka.request.logger
logger.request.level = warn
EOF

  if [ ! -f "$DATA/meta.properties" ]; then
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    log "$C" "formatting storage $DATA with the SCRAM users (cluster id $cluster_id)"
    "$JAVA" -Xmx256m -Dlog4j2.configurationFile="$RUN/tools-log4j2.properties" \
      -cp "$LIBS/*" kafka.tools.StorageTool format --ignore-formatted -t "$cluster_id" -c "$RUN/server.properties" \
      --add-scram 'SCRAM-SHA-256=[name=scram256,password=scram256-secret]' \
      --add-scram 'SCRAM-SHA-512=[name=scram512,password=scram512-secret]' \
      >"$RUN/format.log" 2>&1 || { cat "$RUN/format.log" >&2; die "$C" "storage format failed"; }
  fi

  log "$C" "starting broker on $HOST:$PORT (SASL_SSL; controller $CPORT)"
  # shellcheck disable=SC2086
  nohup "$JAVA" ${KAFKA_HEAP_OPTS:--Xms128m -Xmx384m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
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
  fail "broker did not open $HOST:$PORT within ${TIMEOUT}s (stop it with test/infra/kafka-secure/stop.sh)"
fi
deadline=$((t_start + TIMEOUT))
until kafka_answers; do
  kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; fail "broker process $pid exited during start-up"; }
  if ((SECONDS >= deadline)); then
    cat "$RUN/tools-last-error.log" >&2 || true
    fail "broker on $HOST:$PORT did not answer a SASL_SSL metadata request within ${TIMEOUT}s"
  fi
  sleep 1
done
log "$C" "broker ready on $HOST:$PORT (SASL_SSL) in $((SECONDS - t_start))s (pid $pid, CA $TLS/ca.crt)"

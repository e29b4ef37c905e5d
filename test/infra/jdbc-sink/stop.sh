#!/usr/bin/env bash
# Stops the Connect worker started by test/infra/jdbc-sink/start.sh (pid file; SIGTERM, then SIGKILL).
# Idempotent. Leaves the broker running.
#
#   bash test/infra/jdbc-sink/stop.sh            stop; connectors stay in the internal topics
#   bash test/infra/jdbc-sink/stop.sh --clean    also delete the worker's internal topics and run dir
#
# Environment: JDBC_CONNECT_PORT (default 8095), CONNECT_BOOTSTRAP_SERVERS, KAFKA_PORT, CDC_SINK_HOME.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=jdbc-sink
PORT="${JDBC_CONNECT_PORT:-8095}"
BOOTSTRAP="${CONNECT_BOOTSTRAP_SERVERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
RUN="$CDC_SINK_HOME/jdbc-sink/run-$PORT"
KAFKA_LIBS="$CDC_SINK_HOME/kafka/libs"

clean=false
for arg in "$@"; do
  case "$arg" in
    --clean) clean=true ;;
    *) die "$C" "unknown argument: $arg (usage: stop.sh [--clean])" ;;
  esac
done

stop_pidfile "$C" "$RUN/connect.pid" 30

if $clean; then
  host="${BOOTSTRAP%%,*}"
  if [ -d "$KAFKA_LIBS" ] && port_open "${host%:*}" "${host##*:}"; then
    JAVA="$(java_bin)"
    for t in configs offsets status; do
      topic="_cdc_sink_jdbc_connect_${t}_$PORT"
      if "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -Dlog4j2.level=error \
        -cp "$KAFKA_LIBS/*" org.apache.kafka.tools.TopicCommand \
        --bootstrap-server "$BOOTSTRAP" --delete --if-exists --topic "$topic" >/dev/null 2>&1; then
        log "$C" "deleted topic $topic"
      else
        log "$C" "could not delete topic $topic"
      fi
    done
  else
    log "$C" "broker $BOOTSTRAP not reachable: internal topics left in place"
  fi
  rm -rf "$RUN"
  log "$C" "removed $RUN"
fi

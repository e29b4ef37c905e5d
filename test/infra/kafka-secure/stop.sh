#!/usr/bin/env bash
# Stops the SASL_SSL broker started by test/infra/kafka-secure/start.sh (pid file; SIGTERM, then
# SIGKILL). Idempotent.
#
#   bash test/infra/kafka-secure/stop.sh            stop, keep topics and the TLS material
#   bash test/infra/kafka-secure/stop.sh --clean    also delete data, run dir and certificates
#
# Environment: KAFKA_SECURE_PORT (default 19094), CDC_SINK_HOME (default <repo>/.cache).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=kafka-secure
PORT="${KAFKA_SECURE_PORT:-19094}"
BASE="$CDC_SINK_HOME/kafka-secure"
RUN="$BASE/run-$PORT"
DATA="$BASE/data-$PORT"

clean=false
for arg in "$@"; do
  case "$arg" in
    --clean) clean=true ;;
    *) die "$C" "unknown argument: $arg (usage: stop.sh [--clean])" ;;
  esac
done

stop_pidfile "$C" "$RUN/kafka.pid" 30

if $clean; then
  rm -rf "$DATA" "$RUN" "$BASE/tls"
  log "$C" "removed $DATA, $RUN and $BASE/tls"
fi

#!/usr/bin/env bash
# Stops the broker started by test/infra/kafka/start.sh (pid file; SIGTERM, then SIGKILL).
# Idempotent.
#
#   bash test/infra/kafka/stop.sh            stop, keep topics
#   bash test/infra/kafka/stop.sh --clean    stop and delete the data dir (next start is a fresh cluster)
#
# Environment: KAFKA_PORT (default 9092), CDC_SINK_HOME (default <repo>/.cache).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=kafka
PORT="${KAFKA_PORT:-9092}"
BASE="$CDC_SINK_HOME/kafka"
RUN="$BASE/run-$PORT"
DATA="$BASE/data-$PORT"

clean=false
for arg in "$@"; do
  case "$arg" in
    --clean) clean=true ;;
    *) die "$C" "unknown argument: $arg (usage: stop.sh [--clean])" ;;
  esac
done

# A controlled shutdown of a single-node KRaft broker takes a few seconds; give it 30.
stop_pidfile "$C" "$RUN/kafka.pid" 30

if $clean; then
  rm -rf "$DATA" "$RUN"
  log "$C" "removed $DATA and $RUN"
fi

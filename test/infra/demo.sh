#!/usr/bin/env bash
# npm run demo: the whole pipeline for real on this machine, no Docker.
#   source PostgreSQL (test/infra/source-pg, port 5433, schema shop) with a live shop workload
#   -> Debezium PostgreSQL connector in Kafka Connect (test/infra/connect, deploy/demo/debezium-postgres.json)
#   -> Kafka (test/infra/kafka)
#   -> `cdc-sink run --config deploy/demo/cdc-sink.yaml`
#   -> the machine's PostgreSQL (127.0.0.1:5432, database test, schema demo_shop)
# Prints source vs target row counts and the lag every few seconds, and the metrics URL.
# Ctrl-C stops everything the demo started (the connector is deleted, its slot dropped; Kafka, Connect
# and the source PostgreSQL are stopped only if they were not running before).
# DEMO_SECONDS=N stops by itself after N seconds and exits 0 only if the target caught up with the source.
# Environment: DEMO_SECONDS, DEMO_CATCHUP_SECONDS (60), CDC_SINK_HTTP__PORT (8080), DEMO_KEEP_INFRA=1
# (leave Kafka, Connect and the source PostgreSQL running), KAFKA_PORT / KAFKA_CONTROLLER_PORT /
# CONNECT_PORT / SOURCE_PG_PORT (a second stack beside the usual one).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

HTTP_PORT="${CDC_SINK_HTTP__PORT:-8080}"
# Other ports (KAFKA_PORT, CONNECT_PORT, SOURCE_PG_PORT) reach every piece, the sink's config included.
export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
export CDC_SINK_KAFKA__BROKERS="$KAFKA_BROKERS"
export DEMO_METRICS_URL="http://127.0.0.1:$HTTP_PORT/metrics"
SINK_LOG=.cache/demo-sink.log
started=()   # infra components this run started (stopped again at the end, in reverse order)
sink_pid=""
feed_ready=0
status=0

stop_sink() {
  [ -n "$sink_pid" ] || return 0
  if kill -0 "$sink_pid" 2>/dev/null; then
    kill -TERM "$sink_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$sink_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$sink_pid" 2>/dev/null || true
  fi
  wait "$sink_pid" 2>/dev/null || true
  sink_pid=""
  log demo "cdc-sink stopped (log: $SINK_LOG)"
}

cleanup() {
  trap - INT TERM EXIT
  set +e
  stop_sink
  if [ "$feed_ready" = 1 ]; then
    node --import tsx test/infra/demo-feed.ts teardown && log demo "connector deleted, replication slot dropped"
  fi
  if [ "${DEMO_KEEP_INFRA:-0}" != 1 ]; then
    for ((i = ${#started[@]} - 1; i >= 0; i--)); do bash "test/infra/${started[i]}/stop.sh"; done
  fi
  exit "$status"
}
trap 'status=130; cleanup' INT TERM
on_exit() {
  local rc=$?
  [ "$status" != 0 ] || status=$rc
  cleanup
}
trap on_exit EXIT

# start_component NAME PORT : starts test/infra/NAME unless something already serves PORT; the start
# runs in its own session so that Ctrl-C here does not reach the daemons.
start_component() {
  local name="$1" port="$2"
  if port_open 127.0.0.1 "$port"; then
    log demo "$name already running on port $port: leaving it running afterwards"
  else
    started+=("$name")
  fi
  setsid -w bash "test/infra/$name/start.sh"
}

start_component kafka "${KAFKA_PORT:-9092}"
start_component source-pg "${SOURCE_PG_PORT:-5433}"
start_component connect "${CONNECT_PORT:-8083}"

feed_ready=1
node --import tsx test/infra/demo-feed.ts setup

mkdir -p .cache
setsid node bin/cdc-sink.mjs run --config deploy/demo/cdc-sink.yaml >"$SINK_LOG" 2>&1 &
sink_pid=$!
export DEMO_SINK_PID="$sink_pid"
log demo "cdc-sink running (pid $sink_pid, log $SINK_LOG): metrics $DEMO_METRICS_URL, health http://127.0.0.1:$HTTP_PORT/readyz"

node --import tsx test/infra/demo-feed.ts run || status=$?

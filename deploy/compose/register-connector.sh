#!/bin/sh
# One-shot: waits for Kafka Connect, registers (or updates) the Debezium connector with an idempotent
# PUT, then waits until the connector and its task run. Used by the `register-connector` service of
# docker-compose.yml (curlimages/curl: sh and curl, no jq).
#   CONNECT_URL     default http://connect:8083
#   CONNECTOR_FILE  default /debezium/postgres-source.json (a connector config map with a "name")
#   WAIT_TOPICS     space-separated topics to wait for (GET /connectors/NAME/topics) before exiting 0,
#                   so a consumer that subscribes by pattern at start finds them; default: none
set -eu
CONNECT_URL="${CONNECT_URL:-http://connect:8083}"
CONNECTOR_FILE="${CONNECTOR_FILE:-/debezium/postgres-source.json}"
NAME="$(sed -n 's/^ *"name" *: *"\([^"]*\)".*/\1/p' "$CONNECTOR_FILE" | head -n 1)"
[ -n "$NAME" ] || { echo "register: no \"name\" in $CONNECTOR_FILE" >&2; exit 1; }

i=0
until curl -fsS "$CONNECT_URL/connectors" >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -le 120 ] || { echo "register: Kafka Connect at $CONNECT_URL did not answer in 6 minutes" >&2; exit 1; }
  sleep 3
done

echo "register: PUT $CONNECT_URL/connectors/$NAME/config from $CONNECTOR_FILE"
curl -fsS -X PUT -H 'Content-Type: application/json' --data "@$CONNECTOR_FILE" \
  "$CONNECT_URL/connectors/$NAME/config" >/dev/null

i=0
while :; do
  status="$(curl -fsS "$CONNECT_URL/connectors/$NAME/status" 2>/dev/null || true)"
  case "$status" in
    *'"FAILED"'*) echo "register: connector $NAME failed: $status" >&2; exit 1 ;;
  esac
  running="$(printf '%s' "$status" | grep -o '"state":"RUNNING"' | wc -l)"
  [ "$running" -ge 2 ] && break
  i=$((i + 1))
  [ "$i" -le 60 ] || { echo "register: connector $NAME not running after 3 minutes: $status" >&2; exit 1; }
  sleep 3
done
echo "register: connector $NAME and its task are RUNNING"

i=0
for topic in ${WAIT_TOPICS:-}; do
  until curl -fsS "$CONNECT_URL/connectors/$NAME/topics" 2>/dev/null | grep -q "\"$topic\""; do
    i=$((i + 1))
    [ "$i" -le 100 ] || { echo "register: topic $topic did not appear in 5 minutes" >&2; exit 1; }
    sleep 3
  done
  echo "register: topic $topic exists"
done

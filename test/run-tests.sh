#!/usr/bin/env bash
# Runs the test suites with node's built-in runner through tsx, starting what they need first.
#   bash test/run-tests.sh              unit + contract + integration + e2e (CDC_E2E=0 leaves e2e out)
#   bash test/run-tests.sh unit         unit tests only (no services needed)
#   bash test/run-tests.sh integration|contract|e2e
# Suites other than unit need the machine's PostgreSQL and MariaDB; this script starts the Kafka
# broker (test/infra/kafka/start.sh, idempotent) and, for e2e, Kafka Connect with Debezium and the
# source databases (test/infra/{connect,source-pg,source-mariadb}/start.sh); they stay up afterwards
# (stop them with their stop.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
suites=("$@")
if [ ${#suites[@]} -eq 0 ]; then
  suites=(unit contract integration)
  [ "${CDC_E2E:-1}" = 1 ] && suites+=(e2e)
fi
files=()
for s in "${suites[@]}"; do
  while IFS= read -r f; do files+=("$f"); done < <(find "test/$s" -name '*.test.ts' 2>/dev/null | sort)
done
if [ ${#files[@]} -eq 0 ]; then echo "no test files in: ${suites[*]}" >&2; exit 1; fi

needs_kafka=0; needs_e2e=0
for s in "${suites[@]}"; do
  [ "$s" != unit ] && needs_kafka=1
  [ "$s" = e2e ] && needs_e2e=1
done
if [ "$needs_kafka" = 1 ]; then bash test/infra/kafka/start.sh; fi
if [ "$needs_e2e" = 1 ]; then
  export CDC_E2E=1
  bash test/infra/source-pg/start.sh
  bash test/infra/source-mariadb/start.sh
  bash test/infra/connect/start.sh
fi
# Integration tests share one broker and two databases: run files one at a time.
exec node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"

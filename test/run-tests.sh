#!/usr/bin/env bash
# Runs the test suites with node's built-in runner through tsx.
#   bash test/run-tests.sh            unit + contract + integration (needs Kafka and the databases)
#   bash test/run-tests.sh unit       unit tests only (no services needed)
#   bash test/run-tests.sh integration|contract|e2e
set -euo pipefail
cd "$(dirname "$0")/.."
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(unit contract integration)
files=()
for s in "${suites[@]}"; do
  while IFS= read -r f; do files+=("$f"); done < <(find "test/$s" -name '*.test.ts' 2>/dev/null | sort)
done
if [ ${#files[@]} -eq 0 ]; then echo "no test files in: ${suites[*]}" >&2; exit 1; fi
# Integration tests share one broker and two databases: run files one at a time.
exec node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"

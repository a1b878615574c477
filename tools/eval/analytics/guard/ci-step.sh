#!/usr/bin/env bash
# The analytics quality guard as CI runs it: once on the committed sample with the default
# parameters (must pass), then with a deliberately worse CAD OSE threshold and a deliberately worse
# selector validation (each must FAIL with exit 1 — a guard that cannot fail proves nothing); and
# our NAB scorer against NAB's published per-file scores on the whole folder.
# Prints "analytics guard checks: N passed, N failed"; a skipped run (no data) counts in neither.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
passed=0
failed=0

check() {
  local what=$1 expected=$2
  shift 2
  run_check "$what" "$expected" npm run --silent guard:analytics -- "$@"
}

run_check() {
  local what=$1 expected=$2
  shift 2
  local log rc
  log=$(mktemp)
  echo "--- analytics guard: $what"
  nice -n 10 "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  if grep -qE '^(analytics guard|nab scorer check): skipped' "$log"; then
    echo "--- skipped: $what"
  elif [ "$rc" = "$expected" ]; then
    passed=$((passed + 1))
    echo "--- ok (exit $rc as expected): $what"
  else
    failed=$((failed + 1))
    echo "--- CHECK FAILED (exit $rc, expected $expected): $what"
  fi
  rm -f "$log"
}

check 'figures on the fixed sample within tolerance of the reference' 0
check 'fails with a worse CAD OSE base threshold' 1 --only nab --set cad-ose.base-threshold=0.3
check 'fails with selectors validated 1 step ahead' 1 --only m4 --set selector.validation-horizon=1
run_check "our NAB scorer reproduces NAB's published scores of every file" 0 \
  bash tools/bench/run.sh tools/eval/analytics/guard/nab-scorer-check.ts
echo "analytics guard checks: $passed passed, $failed failed"

#!/usr/bin/env bash
# The whole suite (npm test) with two CPU-burning processes beside it, so timing assumptions that only
# hold on an idle machine show up here rather than in CI. Exits with the suite's status and ends with
# its totals line "N passed, N failed" and the elapsed time.
set -uo pipefail
cd "$(dirname "$0")/../.."

BURNERS=${STRESS_BURNERS:-2}
burners=()
stop_burners() {
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${burners[@]}"; do wait "$pid" 2>/dev/null; done
  burners=()
}
trap stop_burners EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 "$BURNERS"); do
  node -e 'for (;;) {}' &
  burners+=($!)
done
echo "test:stress: $BURNERS busy-loop processes (pids ${burners[*]}) beside npm test"

started=$SECONDS
log=$(mktemp)
npm test 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
stop_burners
totals=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
rm -f "$log"
echo
echo "test:stress: exit $status after $((SECONDS - started)) s with $BURNERS CPU burners"
echo "${totals:-0 passed, 1 failed}"
exit "$status"

#!/usr/bin/env bash
# Quickstart: installs dependencies if needed, checks NATS and PostgreSQL, builds and starts the
# services against them, and waits until each one is ready. Ctrl-C stops everything.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
source tools/scripts/infra.sh

SERVICES=(state-svc)
declare -A PORTS=([state-svc]=3001)

[ -d node_modules ] || npm ci --no-audit --no-fund
ensure_infra

mkdir -p var/log
if [ -z "${API_KEYS:-}" ]; then
  [ -s var/dev-api-key ] || node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))" > var/dev-api-key
  API_KEYS="$(cat var/dev-api-key)"
fi
export API_KEYS

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' INT TERM EXIT
for service in "${SERVICES[@]}"; do
  node tools/scripts/build-app.mjs "$service" >/dev/null
  PORT="${PORTS[$service]}" node --enable-source-maps "dist/apps/$service/apps/$service/src/main.js" >>"var/log/$service.log" 2>&1 &
  pids+=($!)
done

for service in "${SERVICES[@]}"; do
  url="http://127.0.0.1:${PORTS[$service]}"
  for _ in $(seq 1 100); do
    curl -fs "$url/health/ready" >/dev/null 2>&1 && break
    sleep 0.3
  done
  if curl -fs "$url/health/ready" >/dev/null 2>&1; then
    echo "$service ready at $url  (docs: $url/docs, log: var/log/$service.log)"
  else
    echo "$service did not become ready; see var/log/$service.log:" >&2
    tail -n 20 "var/log/$service.log" >&2
    exit 1
  fi
done
echo "API key for changes (Authorization: Bearer …): $API_KEYS"
echo "Ctrl-C stops the stack."
wait

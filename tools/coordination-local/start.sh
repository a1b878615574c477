#!/usr/bin/env bash
# A coordination group on this machine: `npm run coordination:local` starts 3 replicas of
# coordination-svc (REPLICAS=5 for five), each a process with its own WAL directory
# (var/coordination/coord-<id>), its own PostgreSQL database (coordination_<namespace>_<id>) and its
# own port (COORD_BASE_PORT+id-1; 3111, 3112, 3113 by default), and prints their URLs.
# `npm run coordination:local -- 2` starts only replica 2 (to bring back one you killed), `--fresh`
# first deletes the WALs and databases of a previous run. Ctrl-C stops the replicas it started.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

say() { printf '[coordination] %s\n' "$*"; }
fail() {
  say "FAILED: $*" >&2
  exit 1
}
source tools/scripts/infra.sh

replicas=${REPLICAS:-3}
base_port=${COORD_BASE_PORT:-3111}
namespace=${KAILASH_NAMESPACE:-kailash}
data_root=var/coordination
fresh=0 only=()
for arg in "$@"; do
  case $arg in
    --fresh) fresh=1 ;;
    [0-9]*) only+=("$arg") ;;
    *) fail "unknown argument '$arg' (use replica ids, e.g. 2, and/or --fresh)" ;;
  esac
done
[[ "$replicas" =~ ^[1-7]$ ]] && ((replicas % 2 == 1)) || fail "REPLICAS=$replicas: use an odd number from 1 to 7 (3 or 5)"
[[ "$base_port" =~ ^[0-9]+$ ]] && ((base_port >= 1024 && base_port + replicas <= 65535)) ||
  fail "COORD_BASE_PORT=$base_port is not a usable port"
ids=($(seq 1 "$replicas"))
peers=$(IFS=,; echo "${ids[*]}")
[ ${#only[@]} -gt 0 ] || only=("${ids[@]}")
for id in "${only[@]}"; do
  ((id >= 1 && id <= replicas)) || fail "replica $id is not one of 1..$replicas"
  port=$((base_port + id - 1))
  ! answers 127.0.0.1 "$port" || fail "port $port (replica $id) is already in use; stop that process or set COORD_BASE_PORT"
done

if [ ! -d node_modules ]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund >/dev/null
fi
main=dist/apps/coordination-svc/apps/coordination-svc/src/main.js
if [ ${#only[@]} -lt "$replicas" ] && [ -f "$main" ]; then
  # Bringing back one replica: the others run from this build, so it is not rebuilt under them.
  say "using the existing build ($main)"
else
  say "$(node tools/scripts/build-app.mjs coordination-svc)"
fi
ensure_nats || fail "NATS is not available"
ensure_postgres || fail "PostgreSQL is not available"

if [ "$fresh" = 1 ]; then
  say "--fresh: deleting the WALs in $data_root and the databases coordination_${namespace}_<id>"
  rm -rf "$data_root"
  node -e '
    const { Client } = require("pg");
    const [namespace, count] = process.argv.slice(1);
    (async () => {
      const client = new Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
      await client.connect();
      for (let id = 1; id <= Number(count); id++)
        await client.query(`DROP DATABASE IF EXISTS "coordination_${namespace}_${id}" WITH (FORCE)`);
      await client.end();
    })().catch((error) => { console.error(String(error)); process.exit(1); });
  ' "$namespace" "$replicas"
fi

mkdir -p var/log "$data_root"
if [ -z "${API_KEYS:-}" ]; then
  [ -s var/dev-api-key ] || node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))" >var/dev-api-key
  API_KEYS="dev:$(cat var/dev-api-key)"
fi
export API_KEYS KAILASH_NAMESPACE="$namespace"
nats_env=()
if [ -f var/nats/passwords.env ] && grep -q '^NATS_PASSWORD_COORDINATION_SVC=' var/nats/passwords.env; then
  # The NATS server the quickstart started knows the replicas by their own user.
  nats_env=(NATS_USER=coordination-svc NATS_PASSWORD="$(sed -n 's/^NATS_PASSWORD_COORDINATION_SVC=//p' var/nats/passwords.env)")
fi

declare -A pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f "$data_root"/coord-*.pid
}
trap stop_all EXIT
trap 'exit 130' INT TERM

for id in "${only[@]}"; do
  port=$((base_port + id - 1))
  log="var/log/coord-$id.log"
  env "${nats_env[@]}" PORT="$port" COORD_NODE_ID="$id" COORD_PEERS="$peers" INSTANCE_ID="coord-$id" \
    COORD_DATA_DIR="$data_root/coord-$id" \
    node --enable-source-maps "$main" >>"$log" 2>&1 &
  pids[$id]=$!
  echo "${pids[$id]}" >"$data_root/coord-$id.pid"
  say "replica $id: http://127.0.0.1:$port (pid ${pids[$id]}, WAL $data_root/coord-$id, log $log)"
done

# Ready once a quorum runs: a lone replica waits for its peers.
deadline=$((SECONDS + ${READY_TIMEOUT_S:-60}))
for id in "${only[@]}"; do
  url="http://127.0.0.1:$((base_port + id - 1))"
  until [ "$(node -e 'fetch(process.argv[1]).then(r => console.log(r.status), () => console.log(0))' "$url/health/ready")" = 200 ]; do
    kill -0 "${pids[$id]}" 2>/dev/null || { tail -n 20 "var/log/coord-$id.log" >&2; fail "replica $id exited; see var/log/coord-$id.log"; }
    ((SECONDS < deadline)) || { say "replica $id not ready yet (it needs a quorum of $peers running)"; break; }
    sleep 0.5
  done
  say "replica $id ready: $url/cluster, $url/history/leaders, $url/docs"
done
say "API key: $(cat var/dev-api-key 2>/dev/null || echo "from API_KEYS") — try: curl -s -H \"Authorization: Bearer \$(cat var/dev-api-key)\" http://127.0.0.1:$base_port/cluster"
say "kill -9 \$(cat $data_root/coord-<id>.pid) kills a replica; Ctrl-C stops them all."

# Report a replica that dies (killed for the tour, or crashed) and keep the others running.
while [ ${#pids[@]} -gt 0 ]; do
  for id in "${!pids[@]}"; do
    if ! kill -0 "${pids[$id]}" 2>/dev/null; then
      wait "${pids[$id]}" 2>/dev/null && status=0 || status=$?
      say "replica $id (pid ${pids[$id]}) exited (status $status); start it again with: npm run coordination:local -- $id"
      unset "pids[$id]"
      rm -f "$data_root/coord-$id.pid"
    fi
  done
  sleep 1
done

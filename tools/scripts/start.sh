#!/usr/bin/env bash
# Quickstart: `npm start [-- <service> …]`. Checks the ports first, installs dependencies if needed,
# builds, checks (or starts) NATS and PostgreSQL, starts the services and waits until each one is
# ready, with one line per step and the time since the start. Ctrl-C stops everything.
#
# Ports: <SERVICE>_PORT (STATE_SVC_PORT for state-svc) for any service; PORT when one service starts;
# otherwise each service's default. A port that is taken stops the script before anything starts.
# Databases: <SERVICE>_DATABASE_URL for any service; DATABASE_URL only when one service starts (two
# services must not share a database); otherwise each service's default.
# "Ready" means /health/ready answers 200 and /health/live reports the PID this script started.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

started_us=${EPOCHREALTIME/./}
say() {
  local ms=$(((${EPOCHREALTIME/./} - started_us) / 1000))
  printf '[%4d.%ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"
}
fail() {
  say "FAILED: $*" >&2
  exit 1
}
source tools/scripts/infra.sh

declare -A DEFAULT_PORTS=([state-svc]=3001 [monitor-svc]=3101)
ALL_SERVICES=(state-svc)
READY_TIMEOUT_S=${READY_TIMEOUT_S:-90}
HEARTBEAT_S=10

services=()
for service in "$@"; do [[ " ${services[*]} " == *" $service "* ]] || services+=("$service"); done
[ ${#services[@]} -gt 0 ] || services=("${ALL_SERVICES[@]}")
for service in "${services[@]}"; do
  [ -n "${DEFAULT_PORTS[$service]:-}" ] || fail "unknown service '$service' (services: ${ALL_SERVICES[*]})"
done

# --- ports: chosen, valid, distinct and free, before anything is installed or started ----------------
port_variable() { local name=${1^^}; echo "${name//-/_}_PORT"; }
database_variable() { local name=${1^^}; echo "${name//-/_}_DATABASE_URL"; }
if [ -n "${DATABASE_URL:-}" ] && [ ${#services[@]} -gt 1 ]; then
  vars=()
  for service in "${services[@]}"; do vars+=("$(database_variable "$service")"); done
  fail "DATABASE_URL names one database but ${#services[@]} services start; set ${vars[*]} instead"
fi
declare -A ports=()
if [ -n "${PORT:-}" ] && [ ${#services[@]} -gt 1 ]; then
  vars=()
  for service in "${services[@]}"; do vars+=("$(port_variable "$service")"); done
  fail "PORT names one port but ${#services[@]} services start; set ${vars[*]} instead"
fi
for service in "${services[@]}"; do
  variable=$(port_variable "$service")
  if [ -n "${!variable:-}" ]; then
    port=${!variable} from=$variable
  elif [ -n "${PORT:-}" ]; then
    port=$PORT from=PORT
  else
    port=${DEFAULT_PORTS[$service]} from=default
  fi
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] ||
    fail "$from=$port is not a port number (1-65535) for $service"
  for other in "${!ports[@]}"; do
    [ "${ports[$other]}" != "$port" ] || fail "$service and $other would both listen on port $port"
  done
  ports[$service]=$port
done

bind_host=${HOST:-0.0.0.0}
probe_host=$([ "$bind_host" = 0.0.0.0 ] && echo 127.0.0.1 || echo "$bind_host")

# Exit 0 when nothing answers on the port and it can be listened on, as the service will.
port_is_free() { # port
  answers "$probe_host" "$1" && return 1
  node -e '
    const server = require("node:net").createServer();
    server.once("error", () => process.exit(1));
    server.listen(Number(process.argv[2]), process.argv[1], () => server.close(() => process.exit(0)));
  ' "$bind_host" "$1"
}
port_owner() { # port → " (python3, pid 123)" when ss can tell
  command -v ss >/dev/null || return 0
  ss -Hltnp "( sport = :$1 )" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -n 1 |
    sed -E 's/users:\(\("([^"]*)",pid=([0-9]*)/ (\1, pid \2)/'
}
check_port() { # service
  local port=${ports[$1]}
  port_is_free "$port" && return 0
  fail "$1: port $port is already in use$(port_owner "$port"); stop that process, or choose a free port with $(port_variable "$1")=<port>$([ ${#services[@]} -eq 1 ] && echo " or PORT=<port>")"
}
for service in "${services[@]}"; do check_port "$service"; done
say "ports free: $(for s in "${services[@]}"; do printf '%s %s  ' "$s" "${ports[$s]}"; done)"

# --- long steps print a heartbeat, so a slow install is never silent -------------------------------
run_with_heartbeat() { # label progress-command log command…
  local label=$1 progress=$2 log=$3 pid last=$SECONDS
  shift 3
  "$@" >>"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if ((SECONDS - last >= HEARTBEAT_S)); then
      last=$SECONDS
      say "… still $label ($($progress))"
    fi
  done
  wait "$pid"
}

mkdir -p var/log
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing dependencies (npm ci; its output goes to var/log/npm-ci.log)"
  : >var/log/npm-ci.log
  installed() { echo "$(find node_modules -mindepth 1 -maxdepth 1 2>/dev/null | wc -l) entries in node_modules so far"; }
  if ! run_with_heartbeat "installing dependencies" installed var/log/npm-ci.log npm ci --no-audit --no-fund; then
    tail -n 30 var/log/npm-ci.log >&2
    fail "npm ci failed (var/log/npm-ci.log)"
  fi
  say "dependencies installed: $(grep -E '^(added|removed|changed|up to date)' var/log/npm-ci.log | tail -n 1)"
else
  say "dependencies already installed"
fi

for service in "${services[@]}"; do
  say "building $service"
  built=$(node tools/scripts/build-app.mjs "$service" 2>&1) || {
    echo "$built" >&2
    fail "build of $service failed"
  }
  say "$built"
done

nats_generated_config=1
ensure_nats || fail "NATS is not available"
ensure_postgres || fail "PostgreSQL is not available"

if [ -z "${API_KEYS:-}" ]; then
  [ -s var/dev-api-key ] || node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))" >var/dev-api-key
  # Named, so the history of what you change shows "dev" as the actor.
  API_KEYS="dev:$(cat var/dev-api-key)"
fi
export API_KEYS
dev_key="${API_KEYS#*:}"
dev_key="${dev_key%%,*}"

# --- services -----------------------------------------------------------------------------------------
declare -A pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# "ready" | "starting" | "down" | "other:<pid>" (another process answers on the port).
service_state() { # url pid
  node -e '
    const [base, ours] = process.argv.slice(1);
    const get = (path, ms) => fetch(base + path, { signal: AbortSignal.timeout(ms) });
    (async () => {
      const pid = (await (await get("/health/live", 2000)).json())?.details?.process?.pid;
      if (String(pid) !== ours) return `other:${pid ?? "unknown"}`;
      return (await get("/health/ready", 5000)).status === 200 ? "ready" : "starting";
    })().then(console.log, () => console.log("down"));
  ' "$1" "$2"
}

for service in "${services[@]}"; do
  check_port "$service" # again: the install may have taken minutes
  log="var/log/$service.log"
  [ ! -f "$log" ] || mv "$log" "$log.1" # the previous run's, kept once
  say "starting $service on port ${ports[$service]} (log: $log)"
  service_env=()
  if [ "${nats_with_users:-0}" = 1 ]; then
    # The NATS server we started knows each service by its own user (var/nats/passwords.env).
    password_var="NATS_PASSWORD_$(echo "$service" | tr 'a-z-' 'A-Z_')"
    service_env=(NATS_USER="$service" NATS_PASSWORD="$(sed -n "s/^$password_var=//p" var/nats/passwords.env)")
  fi
  database_var=$(database_variable "$service")
  [ -z "${!database_var:-}" ] || service_env+=(DATABASE_URL="${!database_var}")
  env "${service_env[@]}" PORT="${ports[$service]}" node --enable-source-maps "dist/apps/$service/apps/$service/src/main.js" >>"$log" 2>&1 &
  pids[$service]=$!
done

for service in "${services[@]}"; do
  pid=${pids[$service]} url="http://$probe_host:${ports[$service]}" deadline=$((SECONDS + READY_TIMEOUT_S)) last=$SECONDS
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "var/log/$service.log" >&2
      fail "$service (pid $pid) exited before it was ready; see var/log/$service.log"
    fi
    state=$(service_state "$url" "$pid")
    [ "$state" = ready ] && break
    ((SECONDS < deadline)) || {
      tail -n 20 "var/log/$service.log" >&2
      fail "$service (pid $pid) not ready after ${READY_TIMEOUT_S} s (last answer: $state); see var/log/$service.log"
    }
    if ((SECONDS - last >= HEARTBEAT_S)); then
      last=$SECONDS
      case $state in
        other:*) say "… port ${ports[$service]} is answered by pid ${state#other:}, not by $service (pid $pid)" ;;
        *) say "… waiting for $service (pid $pid): $state" ;;
      esac
    fi
    sleep 0.5
  done
  say "$service ready at $url (pid $pid; docs: $url/docs, log: var/log/$service.log)"
done
say "API key (Authorization: Bearer …): $dev_key (also in var/dev-api-key)"
say "Ctrl-C stops the stack."
wait

#!/usr/bin/env bash
# Shared by the quickstart and CI: is NATS / PostgreSQL answering, and how to start them here.
# A sourcing script may define `say` (one progress line) before sourcing; plain echo otherwise.

declare -F say >/dev/null || say() { echo "$*"; }

answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

nats_host=127.0.0.1 nats_port=4222 pg_host=127.0.0.1 pg_port=5432
# Set to 1 by the quickstart: when it has to start nats-server itself and the repository generates a
# nats-server configuration (accounts, users, permissions), the server runs with that configuration.
# CI leaves it unset: the tests use an open server.
: "${nats_generated_config:=0}"

start_local_nats() {
  local bin
  bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  command -v start-stop-daemon >/dev/null && [ -x "$bin" ] || return 1
  local args=(-a "$nats_host" -p "$nats_port" -js -sd /var/lib/nats-server -l /var/log/nats-server.log)
  if [ "$nats_generated_config" = 1 ]; then
    # One user per service with its subject permissions, no anonymous access (tools/scripts/nats-config.ts).
    npm run -s nats:config -- local --port "$nats_port" >/dev/null || { echo "generating the NATS configuration failed" >&2; return 1; }
    # Absolute: start-stop-daemon starts the server from /.
    args=(-c "$PWD/var/nats/nats-server.conf" -a "$nats_host" -p "$nats_port" -l "$PWD/var/log/nats-server.log")
    nats_with_users=1
    say "NATS configuration generated: var/nats/nats-server.conf (passwords in var/nats/passwords.env)"
  fi
  start-stop-daemon --start --oknodo --background --exec "$bin" -- "${args[@]}"
}

start_local_postgres() {
  command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] || return 1
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
}

wait_for() { # host port
  for _ in $(seq 1 50); do answers "$1" "$2" && return 0; sleep 0.2; done
  return 1
}

ensure_nats() {
  if answers $nats_host $nats_port; then
    say "NATS answering on $nats_host:$nats_port"
    return 0
  fi
  say "NATS not answering on $nats_host:$nats_port: starting nats-server"
  if start_local_nats && wait_for $nats_host $nats_port; then
    say "NATS started on $nats_host:$nats_port"
    return 0
  fi
  echo "NATS with JetStream is not answering on $nats_host:$nats_port." >&2
  echo "  Debian/Ubuntu: sudo apt-get install nats-server && nats-server -js -a 127.0.0.1 -p 4222 -sd /tmp/nats &" >&2
  echo "  Docker:        docker compose up -d nats" >&2
  return 1
}

ensure_postgres() {
  if answers $pg_host $pg_port; then
    say "PostgreSQL answering on $pg_host:$pg_port"
    return 0
  fi
  say "PostgreSQL not answering on $pg_host:$pg_port: starting the local cluster"
  if start_local_postgres && wait_for $pg_host $pg_port; then
    say "PostgreSQL started on $pg_host:$pg_port"
    return 0
  fi
  echo "PostgreSQL is not answering on $pg_host:$pg_port." >&2
  echo "  Debian/Ubuntu: sudo apt-get install postgresql (trust auth for user postgres on 127.0.0.1)" >&2
  echo "  Docker:        docker compose up -d postgres" >&2
  return 1
}

ensure_infra() { ensure_nats && ensure_postgres; }

#!/usr/bin/env bash
# Shared by the quickstart and CI: is NATS / PostgreSQL answering, and how to start them here.

answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

nats_host=127.0.0.1 nats_port=4222 pg_host=127.0.0.1 pg_port=5432

start_local_nats() {
  command -v start-stop-daemon >/dev/null && [ -x /usr/sbin/nats-server ] || return 1
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
}

start_local_postgres() {
  command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] || return 1
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
}

wait_for() { # name host port
  for _ in $(seq 1 50); do answers "$2" "$3" && return 0; sleep 0.2; done
  return 1
}

ensure_infra() {
  if ! answers $nats_host $nats_port; then
    start_local_nats && wait_for NATS $nats_host $nats_port || {
      echo "NATS with JetStream is not answering on $nats_host:$nats_port." >&2
      echo "  Debian/Ubuntu: sudo apt-get install nats-server && nats-server -js -a 127.0.0.1 -p 4222 -sd /tmp/nats &" >&2
      echo "  Docker:        docker compose up -d nats" >&2
      return 1
    }
  fi
  if ! answers $pg_host $pg_port; then
    start_local_postgres && wait_for PostgreSQL $pg_host $pg_port || {
      echo "PostgreSQL is not answering on $pg_host:$pg_port." >&2
      echo "  Debian/Ubuntu: sudo apt-get install postgresql (trust auth for user postgres on 127.0.0.1)" >&2
      echo "  Docker:        docker compose up -d postgres" >&2
      return 1
    }
  fi
}

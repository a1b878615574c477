#!/bin/sh
# One database per service. Runs once, on the first start with an empty data volume;
# the services also create their database if it is missing. Each coordination replica has its own
# (kailash_coordination_<node id>); kailash_coordination_4 and _5 appear when such replicas first boot.
set -eu
for db in kailash_state kailash_coordination_1 kailash_coordination_2 kailash_coordination_3 kailash_warming kailash_monitor kailash_migration kailash_resource; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -c "SELECT 'CREATE DATABASE $db' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db')\gexec"
done

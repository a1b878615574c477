#!/bin/sh
# One database per service. Runs once, on the first start with an empty data volume;
# the services also create their database if it is missing.
set -eu
for db in kailash_state kailash_coordination kailash_warming kailash_monitor kailash_migration kailash_resource; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -c "SELECT 'CREATE DATABASE $db' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db')\gexec"
done

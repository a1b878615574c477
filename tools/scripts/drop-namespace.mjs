#!/usr/bin/env node
// Cleans up after a tour on a shared machine: `node tools/scripts/drop-namespace.mjs <namespace> [database…]`
// deletes every JetStream stream whose subjects all lie under `<namespace>.` (so another namespace's
// streams, even one whose name shares a prefix, are never touched) and drops the named databases,
// which must begin with the namespace. The default namespace `kailash` is refused: it is everyone's.
// NATS_URL and DATABASE_ADMIN_URL (a database to connect to for DROP) say where; local ones by default.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';

const [namespace, ...databases] = process.argv.slice(2);
const fail = (message) => {
  process.stderr.write(`drop-namespace: ${message}\n`);
  process.exit(1);
};
if (!namespace || !/^[a-z][a-z0-9_]*$/.test(namespace))
  fail('usage: drop-namespace.mjs <namespace ([a-z][a-z0-9_]*)> [database…]');
if (namespace === 'kailash') fail('refusing the default namespace kailash');
for (const name of databases)
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(name) || !name.startsWith(namespace))
    fail(`database '${name}' must be a plain name beginning with '${namespace}'`);

const ownedBy = (subjects) => subjects.length > 0 && subjects.every((s) => s.startsWith(`${namespace}.`));

const nc = await connect({ servers: (process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(',') });
try {
  const jsm = await jetstreamManager(nc);
  for await (const stream of jsm.streams.list()) {
    if (!ownedBy(stream.config.subjects ?? [])) continue;
    await jsm.streams.delete(stream.config.name);
    process.stdout.write(`deleted stream ${stream.config.name}\n`);
  }
} finally {
  await nc.close();
}

if (databases.length > 0) {
  const admin = new pg.Client({
    connectionString: process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await admin.connect();
  try {
    for (const name of databases) {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      process.stdout.write(`dropped database ${name} (if it existed)\n`);
    }
  } finally {
    await admin.end();
  }
}

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import { dropTestDatabase, uniqueName } from '@kailash/testing';

/**
 * The tour's clean-up on the real NATS and PostgreSQL: it deletes the namespace's streams and the
 * databases named, and leaves alone a namespace whose name merely begins with the same letters.
 */
const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'tools', 'scripts', 'drop-namespace.mjs');
const run = promisify(execFile);

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const databaseExists = (name: string) =>
  admin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);

describe('tools/scripts/drop-namespace.mjs', () => {
  const ns = uniqueName('dropns');
  const neighbour = `${ns}_x`; // its stream names begin with ns's upper-cased name and an underscore
  const database = `${ns}_monitor`;
  const kept = uniqueName('dropns_kept');
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: '127.0.0.1:4222' });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: `${ns.toUpperCase()}_STATE`, subjects: [`${ns}.state.>`] });
    await jsm.streams.add({ name: `${ns.toUpperCase()}_TELEMETRY`, subjects: [`${ns}.telemetry.>`] });
    await jsm.streams.add({ name: `${neighbour.toUpperCase()}_STATE`, subjects: [`${neighbour}.state.>`] });
    await admin(async (c) => {
      await c.query(`CREATE DATABASE "${database}"`);
      await c.query(`CREATE DATABASE "${kept}"`);
    });
  }, 20_000);

  afterAll(async () => {
    const jsm = await jetstreamManager(nc);
    for (const name of [`${ns}_STATE`, `${ns}_TELEMETRY`, `${neighbour}_STATE`])
      await jsm.streams.delete(name.toUpperCase()).catch(() => undefined);
    await nc.close();
    await dropTestDatabase(database);
    await dropTestDatabase(kept);
  }, 20_000);

  it('deletes the namespace streams and its databases, and nothing of another namespace', async () => {
    const { stdout } = await run(process.execPath, [SCRIPT, ns, database], { cwd: ROOT, timeout: 20_000 });
    expect(stdout).toContain(`deleted stream ${ns.toUpperCase()}_STATE`);
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for await (const name of jsm.streams.names()) names.push(name);
    expect(names).not.toContain(`${ns.toUpperCase()}_STATE`);
    expect(names).not.toContain(`${ns.toUpperCase()}_TELEMETRY`);
    expect(names).toContain(`${neighbour.toUpperCase()}_STATE`);
    expect(await databaseExists(database)).toBe(false);
    expect(await databaseExists(kept)).toBe(true);
  }, 30_000);

  it('refuses a database outside the namespace and the default namespace, dropping nothing', async () => {
    await expect(run(process.execPath, [SCRIPT, ns, kept], { cwd: ROOT, timeout: 20_000 })).rejects.toThrow(
      new RegExp(`database '${kept}' must be a plain name beginning with '${ns}'`),
    );
    await expect(run(process.execPath, [SCRIPT, 'kailash'], { cwd: ROOT, timeout: 20_000 })).rejects.toThrow(
      /refusing the default namespace kailash/,
    );
    expect(await databaseExists(kept)).toBe(true);
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(`${neighbour.toUpperCase()}_STATE`)).config.name).toBe(
      `${neighbour.toUpperCase()}_STATE`,
    );
  }, 30_000);
});

import { Pool } from 'pg';
import { testPostgresUrl } from './environment';
import { uniqueName } from './unique-name';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly pool: Pool;
  drop(): Promise<void>;
}

/** A fresh database per test file on the real PostgreSQL, dropped afterwards. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const admin = new Pool({ connectionString: testPostgresUrl('postgres'), max: 1 });
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = testPostgresUrl(name);
  const pool = new Pool({ connectionString: url, max: 8 });
  return {
    name,
    url,
    pool,
    drop: async () => {
      // pool.end() resolves before its clients' sockets have closed; the forced drop below may
      // terminate one still closing, and that expected error must not surface as unhandled.
      pool.on('error', () => undefined);
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Drops a test's database by name, closing any connection still open on it. */
export async function dropTestDatabase(name: string): Promise<void> {
  const admin = new Pool({ connectionString: testPostgresUrl('postgres'), max: 1 });
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

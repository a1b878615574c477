import { PgDatabase } from '@kailash/backbone';
import type { TestDatabase } from '@kailash/testing';
import { createTestDatabase } from '@kailash/testing';
import { createPartitions, DEFAULT_PARTITION_POLICY } from '../src/series/partitions';
import { SERIES_SCHEMA_DDL } from '../src/series/schema';

export interface SeriesDatabase {
  readonly database: TestDatabase;
  readonly db: PgDatabase;
}

/** A fresh database with the series tables and the partitions around `nowMs` (default policy). */
export async function openSeriesDatabase(prefix: string, nowMs: number): Promise<SeriesDatabase> {
  const database = await createTestDatabase(prefix);
  const db = new PgDatabase(database.pool);
  for (const statement of SERIES_SCHEMA_DDL) await db.query(statement);
  await createPartitions(db, DEFAULT_PARTITION_POLICY, nowMs);
  return { database, db };
}

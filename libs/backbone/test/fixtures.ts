import type { EventEnvelope, SubjectSpace } from '@kailash/contracts';
import { defineEvent, EventCatalog } from '@kailash/contracts';
import type { SqlExecutor } from '../src';
import { PROJECTION_CHECKPOINTS_DDL } from '../src';
import type { Pool } from 'pg';
import { z } from 'zod';

/** A tiny domain for backbone tests: counters that get incremented. */
export const CounterIncremented = defineEvent('counter.incremented', {
  aggregateType: 'counter',
  data: z.strictObject({ by: z.number().int(), poison: z.boolean().optional() }),
});
export const counterCatalog = new EventCatalog([CounterIncremented]);
export type CounterEvent = EventEnvelope<'counter.incremented', { by: number; poison?: boolean }>;

/** Rows are appended, never upserted, so an event applied twice shows up as two rows. */
export const APPLIED_DDL = `CREATE TABLE IF NOT EXISTS applied (
  row_id bigserial PRIMARY KEY, event_id text NOT NULL, seq bigint NOT NULL, counter text NOT NULL, amount int NOT NULL)`;

export async function createSchema(pool: Pool): Promise<void> {
  await pool.query(PROJECTION_CHECKPOINTS_DDL);
  await pool.query(APPLIED_DDL);
}

export async function insertApplied(tx: SqlExecutor, event: CounterEvent, seq: number): Promise<void> {
  await tx.query('INSERT INTO applied (event_id, seq, counter, amount) VALUES ($1, $2, $3, $4)', [
    event.id,
    seq,
    event.aggregate.id,
    event.data.by,
  ]);
}

export const TEST_DOMAIN = 'state';
export const streamOf = (subjects: SubjectSpace) => subjects.stream(TEST_DOMAIN);

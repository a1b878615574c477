import type { EventEnvelope } from '@kailash/contracts';
import { defineEvent, EventCatalog, SubjectSpace } from '@kailash/contracts';
import type { PositionedEvent, SqlExecutor } from '@kailash/backbone';
import {
  domainStreamSpec,
  deadLetterStreamSpec,
  ensureStream,
  EventPublisher,
  PROJECTION_CHECKPOINTS_DDL,
} from '@kailash/backbone';
import { HybridLogicalClock } from '@kailash/hlc';
import type { TestDatabase } from '@kailash/testing';
import { connectTestNats, createTestDatabase, deleteStreamsWithPrefix, uniqueName } from '@kailash/testing';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';

export const ReadingRecorded = defineEvent('reading.recorded', {
  aggregateType: 'sensor',
  data: z.strictObject({ value: z.number(), sentAt: z.number() }),
});
export const catalog = new EventCatalog([ReadingRecorded]);
export type ReadingEvent = EventEnvelope<'reading.recorded', { value: number; sentAt: number }>;
export const DOMAIN = 'state';

export interface BenchEnv {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly subjects: SubjectSpace;
  readonly database: TestDatabase;
  readonly publisher: EventPublisher;
  close(): Promise<void>;
}

export async function openBenchEnv(): Promise<BenchEnv> {
  const namespace = uniqueName('bench');
  const subjects = new SubjectSpace(namespace);
  const nc = await connectTestNats(namespace);
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, domainStreamSpec(subjects, DOMAIN));
  await ensureStream(jsm, deadLetterStreamSpec(subjects));
  const database = await createTestDatabase('bench');
  await database.pool.query(PROJECTION_CHECKPOINTS_DDL);
  const publisher = new EventPublisher({
    js,
    subjects,
    domain: DOMAIN,
    clock: new HybridLogicalClock({ nodeId: 'bench' }),
    source: { service: 'bench', instance: 'bench' },
    catalog,
  });
  return {
    nc,
    js,
    jsm,
    subjects,
    database,
    publisher,
    close: async () => {
      await deleteStreamsWithPrefix(jsm, namespace.toUpperCase());
      await nc.close();
      await database.drop();
    },
  };
}

/** A realistic read model write: one multi-row INSERT per batch. */
export async function createReadingsTable(env: BenchEnv, table: string): Promise<void> {
  await env.database.pool.query(
    `CREATE TABLE ${table} (seq bigint PRIMARY KEY, sensor text NOT NULL, value double precision NOT NULL)`,
  );
}

export async function insertReadings(
  tx: SqlExecutor,
  table: string,
  events: readonly PositionedEvent[],
): Promise<void> {
  const readings = events as readonly PositionedEvent<ReadingEvent>[];
  await tx.query(
    `INSERT INTO ${table} (seq, sensor, value) SELECT * FROM unnest($1::bigint[], $2::text[], $3::float8[])`,
    [
      readings.map((r) => r.position.seq),
      readings.map((r) => r.event.aggregate.id),
      readings.map((r) => r.event.data.value),
    ],
  );
}

/** Publishes `count` events with up to `window` acks outstanding; returns the last sequence. */
export async function publishBacklog(env: BenchEnv, count: number, window = 1000): Promise<number> {
  let last = 0;
  for (let start = 0; start < count; start += window) {
    const size = Math.min(window, count - start);
    const acks = await Promise.all(
      Array.from({ length: size }, (_, i) =>
        env.publisher.publish({
          definition: ReadingRecorded,
          aggregateId: `s${(start + i) % 1000}`,
          data: { value: start + i, sentAt: 0 },
        }),
      ),
    );
    for (const ack of acks) last = Math.max(last, ack.seq);
  }
  return last;
}

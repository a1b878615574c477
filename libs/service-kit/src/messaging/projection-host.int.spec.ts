import type { SqlExecutor } from '@kailash/backbone';
import {
  BackboneMetrics,
  deadLetterStreamSpec,
  domainStreamSpec,
  ensureStream,
  EventPublisher,
  PgDatabase,
  PROJECTION_CHECKPOINTS_DDL,
} from '@kailash/backbone';
import { defineEvent, EventCatalog, KailashError, SubjectSpace } from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import type { TestDatabase } from '@kailash/testing';
import { connectTestNats, createTestDatabase, deleteStreamsWithPrefix, uniqueName } from '@kailash/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { ProjectionHost } from './projection-host';

jest.setTimeout(60_000);

const DOMAIN = 'state';
const Counted = defineEvent('counter.counted', {
  aggregateType: 'counter',
  data: z.strictObject({ n: z.number() }),
});
const Noted = defineEvent('note.noted', { aggregateType: 'note', data: z.strictObject({ n: z.number() }) });
const catalog = new EventCatalog([Counted, Noted]);

describe('ProjectionHost.waitFor (real NATS + PostgreSQL)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let database: TestDatabase;
  let subjects: SubjectSpace;
  let publisher: EventPublisher;
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

  beforeAll(async () => {
    subjects = new SubjectSpace(uniqueName('t'));
    nc = await connectTestNats('projection-host');
    jsm = await jetstreamManager(nc);
    await ensureStream(jsm, domainStreamSpec(subjects, DOMAIN));
    await ensureStream(jsm, deadLetterStreamSpec(subjects));
    database = await createTestDatabase('host');
    await database.pool.query(PROJECTION_CHECKPOINTS_DDL);
    await database.pool.query('CREATE TABLE counted (n int NOT NULL)');
    publisher = new EventPublisher({
      js: jetstream(nc),
      subjects,
      domain: DOMAIN,
      clock: new HybridLogicalClock({ nodeId: 'host-test' }),
      source: { service: 'test', instance: 'i1' },
      catalog,
    });
  });
  afterAll(async () => {
    await deleteStreamsWithPrefix(jsm, subjects.namespace.toUpperCase());
    await nc.close();
    await database.drop();
  });

  /** A host with one projection fed only counter events; `now` is the deadline's clock. */
  const hostWith = (now?: () => number) => {
    const host = new ProjectionHost({
      js: jetstream(nc),
      jsm,
      subjects,
      db: new PgDatabase(database.pool),
      clock: new HybridLogicalClock({ nodeId: 'host' }),
      service: 'test',
      logger: silent,
      metrics: BackboneMetrics.for(new Registry()),
      ...(now ? { now } : {}),
    });
    host.register({
      domain: DOMAIN,
      aggregateType: 'counter',
      projection: {
        name: 'counted',
        catalog,
        apply: async (event, tx: SqlExecutor) => {
          await tx.query('INSERT INTO counted (n) VALUES ($1)', [(event.data as { n: number }).n]);
        },
      },
    });
    return host;
  };
  const counted = async () =>
    (await database.pool.query<{ n: number }>('SELECT n FROM counted ORDER BY n')).rows.map((r) => r.n);

  it('answers UNAVAILABLE naming the projection when it has not applied the sequence by the deadline', async () => {
    const { seq } = await publisher.publish({ definition: Counted, aggregateId: 'c1', data: { n: 1 } });
    let clock = 0;
    const host = hostWith(() => (clock += 1_000)); // never started: it cannot catch up
    const error = await host.waitFor('counted', seq, 5_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KailashError);
    expect((error as KailashError).code).toBe('UNAVAILABLE');
    expect((error as KailashError).message).toContain("projection 'counted'");
    expect((error as KailashError).details).toMatchObject({
      projection: 'counted',
      sequence: seq,
      checkpoint: 0,
    });
  });

  it('resolves once the projection applied the sequence, so what it wrote is visible', async () => {
    const host = hostWith();
    const { seq } = await publisher.publish({ definition: Counted, aggregateId: 'c1', data: { n: 2 } });
    await host.startAll();
    try {
      await host.waitFor('counted', seq);
      expect(await counted()).toEqual([1, 2]);
    } finally {
      await host.stopAll();
    }
  });

  it("is caught up to a sequence on another aggregate type's subject that its filter never delivers", async () => {
    const host = hostWith();
    await host.startAll();
    try {
      await host.waitFor('counted', 'latest');
      const other = await publisher.publish({ definition: Noted, aggregateId: 'n1', data: { n: 9 } });
      // The checkpoint stays below `other.seq` for good; nothing the projection would apply is missing.
      await expect(host.waitFor('counted', other.seq)).resolves.toBeUndefined();
    } finally {
      await host.stopAll();
    }
  });

  it('refuses a projection it does not host', async () => {
    await expect(hostWith().waitFor('nope', 1)).rejects.toThrow(/no projection 'nope'/);
  });
});

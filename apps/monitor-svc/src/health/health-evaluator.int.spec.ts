import type { SqlExecutor } from '@kailash/backbone';
import {
  domainStreamSpec,
  ensureStream,
  EventPublisher,
  OUTBOX_ATTEMPTS_DDL,
  PgDatabase,
} from '@kailash/backbone';
import { MONITOR_DOMAIN, monitorEventCatalog, SubjectSpace } from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import type { StoredEvent, TestDatabase } from '@kailash/testing';
import {
  connectTestNats,
  createTestDatabase,
  deleteStreamsWithPrefix,
  readStoredEvents,
  TestClock,
  uniqueName,
} from '@kailash/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { QueryRunner } from 'typeorm';
import { createPartitions, DEFAULT_PARTITION_POLICY } from '../series/partitions';
import { writeSamples } from '../series/sample-writer';
import { SERIES_SCHEMA_DDL } from '../series/schema';
import { CreateEdgeHealth1796127885700 } from './1796127885700-create-edge-health';
import type { HealthConfig } from './health.config';
import { HealthEvaluator } from './health-evaluator';

const CONFIG: HealthConfig = {
  staleMs: 120_000,
  evaluateEveryMs: 10_000,
  utilisationEveryMs: 60_000,
  rules: [
    {
      name: 'cpu',
      metric: 'cpu',
      labels: { scope: 'host' },
      comparison: 'above',
      degraded: 80,
      unhealthy: 95,
      forMs: 0,
    },
  ],
};

/**
 * The evaluator's outbox against real PostgreSQL and NATS: a change made while MONITOR cannot be
 * written is published once it can, in order; a change published but not yet removed from the
 * outbox (a crash in between) is not stored twice; replicas judging at once make one change.
 */
describe('health evaluator (real PostgreSQL + NATS)', () => {
  const clock = new TestClock();
  const subjects = new SubjectSpace(uniqueName('t'));
  let database: TestDatabase;
  let db: PgDatabase;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let evaluators: HealthEvaluator[];

  beforeAll(async () => {
    database = await createTestDatabase('monitor_health');
    db = new PgDatabase(database.pool);
    for (const statement of SERIES_SCHEMA_DDL) await db.query(statement);
    await createPartitions(db, DEFAULT_PARTITION_POLICY, clock.nowMs());
    await new CreateEdgeHealth1796127885700().up(db as unknown as QueryRunner);
    await db.query(OUTBOX_ATTEMPTS_DDL);
    nc = await connectTestNats('health-evaluator-test');
    jsm = await jetstreamManager(nc);
    const replica = (instance: string) =>
      new HealthEvaluator({
        db,
        config: CONFIG,
        nowMs: () => clock.nowMs(),
        publisher: new EventPublisher({
          js: jetstream(nc),
          subjects,
          domain: MONITOR_DOMAIN,
          clock: new HybridLogicalClock({ nodeId: instance }),
          source: { service: 'monitor-svc', instance },
          catalog: monitorEventCatalog,
          timeoutMs: 1000,
        }),
      });
    evaluators = [replica('a'), replica('b')];
  }, 30_000);
  afterAll(async () => {
    await deleteStreamsWithPrefix(jsm, subjects.namespace.toUpperCase());
    await nc?.close();
    await database?.drop();
  }, 30_000);

  const cpu = (value: number) =>
    db.transaction((tx) =>
      writeSamples(tx, [
        { edgeId: 'e1', metric: 'cpu', labels: { scope: 'host' }, value, at: clock.nowIso() },
      ]),
    );
  const stored = (): Promise<StoredEvent[]> =>
    readStoredEvents(jsm, subjects.stream(MONITOR_DOMAIN), subjects.events(MONITOR_DOMAIN));
  const changes = async () =>
    (await stored())
      .filter((event) => event.type === 'edge.health.changed')
      .map((event) => `${event.data['change']}:${event.data['previous']}>${event.data['status']}`);
  const outbox = (tx: SqlExecutor = db) =>
    tx.query<{ change: number }>('SELECT change FROM edge_health_outbox ORDER BY change');
  const first = () => evaluators[0] as HealthEvaluator;

  it('keeps changes in the outbox while MONITOR cannot be written, then publishes them in order', async () => {
    await cpu(99);
    await expect(first().evaluateOnce()).rejects.toThrow(/publishing health changes of 1 edge/);
    await clock.advance(10_000);
    await cpu(10);
    await expect(first().evaluateOnce()).rejects.toThrow(/retried next round/);
    expect(await outbox()).toEqual([{ change: 1 }, { change: 2 }]);

    await ensureStream(jsm, domainStreamSpec(subjects, MONITOR_DOMAIN));
    await clock.advance(10_000);
    await cpu(11);
    expect(await first().evaluateOnce()).toBe(true);
    expect(await outbox()).toEqual([]);
    expect(await changes()).toEqual(['1:unknown>unhealthy', '2:unhealthy>healthy']);
  }, 30_000);

  it('stores a change once even when it is published again (a crash before its outbox row went)', async () => {
    const [published] = (await stored()).filter((event) => event.data['change'] === 2);
    await db.query('INSERT INTO edge_health_outbox (edge_id, change, data) VALUES ($1, 2, $2)', [
      'e1',
      JSON.stringify(published?.data),
    ]);
    await clock.advance(10_000);
    await cpu(12);
    expect(await first().evaluateOnce()).toBe(true);
    expect(await outbox()).toEqual([]);
    expect(await changes()).toEqual(['1:unknown>unhealthy', '2:unhealthy>healthy']);
  }, 30_000);

  it('makes one change when two replicas judge at the same moment', async () => {
    await clock.advance(10_000);
    await cpu(90);
    const judged = await Promise.all(evaluators.map((evaluator) => evaluator.evaluateOnce()));
    expect(judged.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(await changes()).toEqual(['1:unknown>unhealthy', '2:unhealthy>healthy', '3:healthy>degraded']);
    const [row] = await db.query<{ status: string; change: number }>(
      'SELECT status, change FROM edge_health',
    );
    expect(row).toEqual({ status: 'degraded', change: 3 });
  }, 30_000);

  it('reports utilisation at most once per HEALTH_UTILISATION_MS per edge', async () => {
    const reports = async () =>
      (await stored())
        .filter((event) => event.type === 'edge.utilisation.reported')
        .map((event) => event.data);
    const before = (await reports()).length;
    const counts: number[] = [];
    for (const [advanceMs, value] of [
      [60_000, 50],
      [30_000, 45],
      [30_000, 40],
    ] as const) {
      await clock.advance(advanceMs);
      await cpu(value);
      await first().evaluateOnce();
      counts.push((await reports()).length - before);
    }
    expect(counts).toEqual([1, 1, 2]);
    expect((await reports()).at(-1)).toEqual({ edgeId: 'e1', utilisation: { cpu: 0.4 }, at: clock.nowIso() });
  }, 30_000);
});

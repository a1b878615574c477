import {
  createStreamIfMissing,
  DEAD_LETTER_HEADERS,
  deadLetterStreamSpec,
  PgDatabase,
  readCheckpoint,
  telemetryStreamSpec,
} from '@kailash/backbone';
import type { MetricsBatch } from '@kailash/contracts';
import { SubjectSpace, TELEMETRY_METRICS } from '@kailash/contracts';
import type { TestDatabase } from '@kailash/testing';
import {
  connectTestNats,
  createTestDatabase,
  deleteStreamsWithPrefix,
  eventually,
  uniqueName,
} from '@kailash/testing';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { samplesOfBatch } from './batch-samples';
import { createPartitions, DEFAULT_PARTITION_POLICY } from './partitions';
import { materialiseRollups } from './rollup-materialiser';
import { SERIES_SCHEMA_DDL } from './schema';
import { TELEMETRY_INGEST, TelemetryIngest } from './telemetry-ingest';

const INGEST_APP = 'monitor-ingest-under-test';
const NOW = Date.parse('2026-12-01T08:00:00.000Z');

function batch(edgeId: string, sequence: number): MetricsBatch {
  const end = NOW - 3600_000 + sequence * 5000;
  return {
    edgeId,
    instanceId: 'i-1',
    sequence,
    windowStart: new Date(end - 5000).toISOString(),
    windowEnd: new Date(end).toISOString(),
    process: {
      cpuPercent: sequence % 97,
      rssBytes: 1000 + sequence,
      heapUsedBytes: 10,
      eventLoopLagMs: { mean: 1, p99: 2, max: 3 },
    },
    host: {
      cpuCount: 2,
      loadAverage1m: 1,
      memoryTotalBytes: 1000,
      memoryFreeBytes: 400,
      diskUsedBytes: 5,
      diskFreeBytes: 5,
    },
    workloads: [
      {
        workloadId: 'w1',
        kind: 'function',
        requests: 10,
        errors: 1,
        latency: { boundsMs: [1, 10], counts: [5, 5, 0], sumMs: 40, count: 10 },
        cacheHits: 5,
        coldStarts: 0,
        warmInstances: 1,
        idleWarmMemoryBytes: 0,
      },
    ],
  };
}

const SAMPLES_PER_BATCH = samplesOfBatch(batch('e', 1)).length;

describe('metrics ingest from TELEMETRY (real NATS + PostgreSQL)', () => {
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let database: TestDatabase;
  let db: PgDatabase;
  /** The ingest's own pool, so the test can kill its connections without killing its own. */
  let ingestPool: Pool;
  const subjects = new SubjectSpace(uniqueName('mon'));
  const ingests: TelemetryIngest[] = [];

  const newIngest = () => {
    const ingest = new TelemetryIngest({
      js,
      jsm,
      subjects,
      db: new PgDatabase(ingestPool),
      service: 'monitor-svc',
      policy: DEFAULT_PARTITION_POLICY,
      nowMs: () => NOW,
      batchSize: 7,
      pullExpiresMs: 1000,
      standbyPollMs: 100,
    });
    ingests.push(ingest);
    return ingest;
  };
  const publish = (b: MetricsBatch | string) =>
    js.publish(
      subjects.telemetry(TELEMETRY_METRICS, typeof b === 'string' ? 'bad' : b.edgeId),
      typeof b === 'string' ? b : JSON.stringify(b),
    );
  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0]?.n);
  const rawSamples = () => count('SELECT count(*) AS n FROM metric_samples');
  // The rollups once the materialiser has folded every closed minute up to NOW.
  const rolledUp = async () => {
    await materialiseRollups(db, NOW);
    return count('SELECT coalesce(sum(count), 0) AS n FROM metric_rollups_1m');
  };

  beforeAll(async () => {
    nc = await connectTestNats('monitor-ingest');
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    await createStreamIfMissing(jsm, telemetryStreamSpec(subjects));
    await createStreamIfMissing(jsm, deadLetterStreamSpec(subjects));
    database = await createTestDatabase('monitor_ingest');
    db = new PgDatabase(database.pool);
    ingestPool = new Pool({ connectionString: database.url, application_name: INGEST_APP, max: 4 });
    for (const statement of SERIES_SCHEMA_DDL) await db.query(statement);
    await db.query(
      'CREATE TABLE projection_checkpoints (name text PRIMARY KEY, position bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now())',
    );
    await createPartitions(db, DEFAULT_PARTITION_POLICY, NOW);
  }, 30_000);

  afterAll(async () => {
    for (const ingest of ingests) await ingest.stop();
    await deleteStreamsWithPrefix(jsm, subjects.telemetryStream().replace(/_TELEMETRY$/, ''));
    await nc?.close();
    await ingestPool?.end();
    await database?.drop();
  }, 30_000);

  it('stops, restarts and loses its database connections mid-ingest without losing or doubling a sample', async () => {
    const first = newIngest();
    first.start();
    for (let i = 1; i <= 40; i++) await publish(batch(`edge-${i % 4}`, i));
    await eventually('some batches applied', rawSamples, (n) => n >= SAMPLES_PER_BATCH * 7, 15_000);
    await first.stop();
    for (let i = 41; i <= 80; i++) await publish(batch(`edge-${i % 4}`, i));
    const second = newIngest();
    second.start();
    // Kill the ingest's database connections while it works: the transactions in flight roll back
    // and are retried from the committed checkpoint.
    for (const reached of [45, 55, 65]) {
      await eventually(
        `batch ${reached} applied`,
        rawSamples,
        (n) => n >= reached * SAMPLES_PER_BATCH,
        15_000,
      );
      await db.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
        [database.name, INGEST_APP],
      );
    }
    await eventually('all 80 batches applied', rawSamples, (n) => n >= 80 * SAMPLES_PER_BATCH, 15_000);
    await second.stop();
    expect(await rawSamples()).toBe(80 * SAMPLES_PER_BATCH);
    expect(await rolledUp()).toBe(80 * SAMPLES_PER_BATCH);
    const info = await jsm.streams.info(subjects.telemetryStream());
    expect(await readCheckpoint(db, TELEMETRY_INGEST)).toBe(info.state.last_seq);
  }, 40_000);

  it('lets only one of two instances ingest at a time; the standby takes over when it stops', async () => {
    const before = await rawSamples();
    const [one, two] = [newIngest(), newIngest()];
    one.start();
    two.start();
    for (let i = 101; i <= 110; i++) await publish(batch(`edge-${i % 4}`, i));
    await eventually('10 batches applied', rawSamples, (n) => n >= before + 10 * SAMPLES_PER_BATCH, 15_000);
    expect([one.active, two.active].filter(Boolean)).toHaveLength(1);
    const [holder, standby] = one.active ? [one, two] : [two, one];
    await holder.stop();
    for (let i = 111; i <= 120; i++) await publish(batch(`edge-${i % 4}`, i));
    await eventually('20 batches applied', rawSamples, (n) => n >= before + 20 * SAMPLES_PER_BATCH, 15_000);
    expect(standby.active).toBe(true);
    await standby.stop();
    expect(await rawSamples()).toBe(before + 20 * SAMPLES_PER_BATCH);
  }, 40_000);

  it('applies nothing twice when already-checkpointed batches are delivered again', async () => {
    const before = { raw: await rawSamples(), rolled: await rolledUp() };
    // A consumer from the start of the stream hands back every batch the ingest already committed,
    // as a redelivery after a crash between commit and acknowledgement would.
    const stream = subjects.telemetryStream();
    await jsm.consumers.add(stream, { durable_name: 'replay', ack_policy: AckPolicy.Explicit });
    const replay: JsMsg[] = [];
    const messages = await (
      await js.consumers.get(stream, 'replay')
    ).fetch({ max_messages: 30, expires: 2000 });
    for await (const msg of messages) replay.push(msg);
    expect(replay.length).toBe(30);
    const replayer = newIngest();
    const outcome = await replayer.applyMessages(replay);
    await replayer.stop(); // hands the ingest lock back
    expect(outcome).toEqual({ applied: 0, skipped: 30, deadLettered: 0, samples: 0 });
    expect({ raw: await rawSamples(), rolled: await rolledUp() }).toEqual(before);
  });

  it('sends a batch that breaks the schema to the DLQ naming the field, and keeps ingesting', async () => {
    const before = await rawSamples();
    const dlq = subjects.deadLetterStream();
    const bad = { ...batch('edge-1', 500), process: { ...batch('edge-1', 500).process, cpuPercent: -1 } };
    await publish(bad as MetricsBatch);
    await publish('{not json');
    const future = batch('edge-1', 501);
    await publish({ ...future, windowEnd: '2027-06-01T00:00:00.000Z' });
    await publish(batch('edge-2', 502));
    const ingest = newIngest();
    ingest.start();
    await eventually('the good batch applied', rawSamples, (n) => n === before + SAMPLES_PER_BATCH, 15_000);
    await eventually(
      'three dead letters',
      async () => (await jsm.streams.info(dlq)).state.messages,
      (n) => n === 3,
      10_000,
    );
    const details: string[] = [];
    for (let seq = 1; seq <= 3; seq++) {
      const stored = await jsm.streams.getMessage(dlq, { seq });
      details.push(
        `${stored?.header.get(DEAD_LETTER_HEADERS.reason)}: ${stored?.header.get(DEAD_LETTER_HEADERS.detail)}`,
      );
    }
    expect(details[0]).toMatch(/^invalid-data: .*process\.cpuPercent/);
    expect(details[1]).toMatch(/^invalid-json: /);
    expect(details[2]).toMatch(/^invalid-data: .*windowEnd: must lie between/);
    await ingest.stop();
  }, 40_000);
});

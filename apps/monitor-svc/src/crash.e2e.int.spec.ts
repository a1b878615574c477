import { createStreamIfMissing, telemetryStreamSpec } from '@kailash/backbone';
import type { MetricsBatch } from '@kailash/contracts';
import { SubjectSpace, TELEMETRY_METRICS } from '@kailash/contracts';
import type { ServiceProcess } from '@kailash/testing';
import {
  builtAppMain,
  connectTestNats,
  deleteStreamsWithPrefix,
  dropTestDatabase,
  eventually,
  freePort,
  startServiceProcess,
  testNatsUrl,
  testPostgresUrl,
  uniqueName,
  WORKSPACE_ROOT,
} from '@kailash/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { samplesOfBatch } from './series/batch-samples';

// Bounds for what this file waits on (a build, a process, the network); none is a speed assertion.
const BUILD_MS = 120_000;
const BATCHES = 1000;

function batch(sequence: number): MetricsBatch {
  const end = Date.now() - 60_000 + (sequence % 50) * 1000;
  return {
    edgeId: `edge-${sequence % 10}`,
    instanceId: 'agent-1',
    sequence,
    windowStart: new Date(end - 1000).toISOString(),
    windowEnd: new Date(end).toISOString(),
    process: {
      cpuPercent: sequence % 100,
      rssBytes: 1,
      heapUsedBytes: 1,
      eventLoopLagMs: { mean: 1, p99: 1, max: 1 },
    },
    host: {
      cpuCount: 2,
      loadAverage1m: 1,
      memoryTotalBytes: 100,
      memoryFreeBytes: 50,
      diskUsedBytes: 1,
      diskFreeBytes: 1,
    },
    workloads: [],
  };
}

/** The built service as a process, killed with SIGKILL in the middle of ingesting. */
describe('monitor-svc process killed mid-ingest (built with SWC, real NATS + PostgreSQL)', () => {
  const namespace = uniqueName('crash');
  const subjects = new SubjectSpace(namespace);
  const database = uniqueName('monitor_crash');
  let main = '';
  let port = 0;
  let nc: NatsConnection;
  let pool: Pool;
  const processes: ServiceProcess[] = [];

  const start = async () => {
    const proc = startServiceProcess(main, port, {
      NATS_URL: testNatsUrl(),
      DATABASE_URL: testPostgresUrl(database),
      KAILASH_NAMESPACE: namespace,
      API_KEYS: 'ops:crash-key-0123456789abcdef',
      LOG_LEVEL: 'warn',
      // Small pulls, so the kill lands between transactions; rollups folded every second.
      INGEST_BATCH_SIZE: '25',
      ROLLUP_MATERIALISE_MS: '1000',
    });
    processes.push(proc);
    await proc.ready();
    return proc;
  };
  const count = async (sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  const rawSamples = () => count('SELECT count(*) AS n FROM metric_samples').catch(() => 0);

  beforeAll(async () => {
    main = await builtAppMain('monitor-svc', WORKSPACE_ROOT, BUILD_MS);
    port = await freePort();
    nc = await connectTestNats('monitor-crash');
    pool = new Pool({ connectionString: testPostgresUrl(database), max: 2 });
  }, BUILD_MS + 10_000);

  afterAll(async () => {
    for (const proc of processes) await proc.crash();
    await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
    await nc?.close();
    await pool?.end();
    await dropTestDatabase(database);
  }, 30_000);

  it('loses no sample and counts none twice across a kill -9', async () => {
    // As an agent does: create TELEMETRY if missing and publish, here before monitor-svc runs.
    await createStreamIfMissing(await jetstreamManager(nc), telemetryStreamSpec(subjects));
    const js = jetstream(nc);
    const acks = [];
    for (let i = 1; i <= BATCHES; i++)
      acks.push(
        js.publish(subjects.telemetry(TELEMETRY_METRICS, `edge-${i % 10}`), JSON.stringify(batch(i))),
      );
    await Promise.all(acks);
    const total = BATCHES * samplesOfBatch(batch(1)).length;

    const first = await start();
    const partial = await eventually('ingest under way', rawSamples, (n) => n > 0, 30_000);
    await first.crash();
    expect(partial).toBeLessThan(total); // it was killed mid-ingest, not after it

    await start();
    await eventually(
      'the checkpoint at the end of the stream',
      () =>
        count(
          "SELECT coalesce(max(position), 0) AS n FROM projection_checkpoints WHERE name = 'telemetry-metrics'",
        ),
      (position) => position === BATCHES,
      30_000,
    );
    expect(await rawSamples()).toBe(total);
    // The materialiser folds each minute once it is closed (its end plus a 10 s grace).
    await eventually(
      'every sample in the 1-minute rollups',
      () => count('SELECT coalesce(sum(count), 0) AS n FROM metric_rollups_1m'),
      (n) => n >= total,
      // The last minute closes up to about a minute after the batches were published.
      75_000,
    );
    expect(await count('SELECT sum(count) AS n FROM metric_rollups_1m')).toBe(total);
  }, 180_000);
});

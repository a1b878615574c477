import { MONITOR_DOMAIN, SubjectSpace } from '@kailash/contracts';
import type { ServiceProcess } from '@kailash/testing';
import {
  builtAppMain,
  connectTestNats,
  deleteStreamsWithPrefix,
  dropTestDatabase,
  eventually,
  freePort,
  readStoredEvents,
  startServiceProcess,
  testNatsUrl,
  testPostgresUrl,
  uniqueName,
  WORKSPACE_ROOT,
} from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { DEFAULT_ANALYTICS_CONFIG } from './analytics.config';
import { feedBuckets, liveDetector, MINUTE_MS } from './detector-step';

// Bounds for what this file waits on (a build, a process, the network); none is a speed assertion.
const BUILD_MS = 120_000;
const MINUTES = 400;
const KEY = 'crash-key-0123456789abcdef';
const END = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 5 * MINUTE_MS;
const FIRST = END - MINUTES * MINUTE_MS;

const samples = Array.from({ length: MINUTES }, (_, i) => ({
  edgeId: 'crashy',
  metric: 'cpu',
  value: i === 250 || i === 330 ? 99 : 40 + 8 * Math.sin((2 * Math.PI * i) / 30) + (i % 7) / 7,
  at: new Date(FIRST + i * MINUTE_MS + 30_000).toISOString(),
}));

/** The built service as a process, killed with SIGKILL while its live detector works through a backlog. */
describe('monitor-svc killed mid-analysis (built with SWC, real NATS + PostgreSQL)', () => {
  const namespace = uniqueName('acrash');
  const subjects = new SubjectSpace(namespace);
  const database = uniqueName('monitor_acrash');
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
      API_KEYS: `ops:${KEY}`,
      LOG_LEVEL: 'warn',
      ANALYTICS_TICK_MS: '100',
      ANALYTICS_CLOSE_GRACE_MS: '0',
      ANALYTICS_MAX_BUCKETS_PER_TICK: '5',
    });
    processes.push(proc);
    await proc.ready();
    return proc;
  };
  const cursor = async () => {
    const { rows } = await pool
      .query<{ n: string }>(
        `SELECT coalesce(max(extract(epoch FROM last_bucket) * 1000), 0) AS n FROM analytics_cursors`,
      )
      .catch(() => ({ rows: [{ n: '0' }] }));
    return Number(rows[0]?.n ?? 0);
  };

  beforeAll(async () => {
    main = await builtAppMain('monitor-svc', WORKSPACE_ROOT, BUILD_MS);
    port = await freePort();
    nc = await connectTestNats('monitor-acrash');
    pool = new Pool({ connectionString: testPostgresUrl(database), max: 2 });
  }, BUILD_MS + 10_000);

  afterAll(async () => {
    for (const proc of processes) await proc.crash();
    await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
    await nc?.close();
    await pool?.end();
    await dropTestDatabase(database);
  }, 30_000);

  it('resumes the stored detector: the anomalies of an uninterrupted run, each stored and published once', async () => {
    const first = await start();
    const recorded = await fetch(`http://127.0.0.1:${port}/series/samples`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ samples }),
    });
    expect(recorded.status).toBe(201);
    const last = END - MINUTE_MS;
    const partial = await eventually(
      'analysis under way',
      cursor,
      (ms) => ms >= FIRST + 200 * MINUTE_MS,
      30_000,
    );
    await first.crash();
    expect(partial).toBeLessThan(last); // killed mid-analysis, not after it

    await start();
    await eventually('the cursor at the last bucket', cursor, (ms) => ms === last, 30_000);
    const { rows: means } = await pool.query<{ bucket: Date; mean: number }>(
      'SELECT bucket, sum / count AS mean FROM metric_rollups_1m ORDER BY bucket',
    );
    const buckets = means.map((row) => ({ bucketMs: row.bucket.getTime(), mean: Number(row.mean) }));
    const expected = feedBuckets(liveDetector(), buckets, DEFAULT_ANALYTICS_CONFIG.threshold);
    expect(expected.map((a) => a.bucketMs)).toEqual(expect.arrayContaining([FIRST + 250 * MINUTE_MS]));
    const { rows: stored } = await pool.query<{ bucket: Date; score: number }>(
      'SELECT bucket, score FROM analytics_anomalies ORDER BY bucket',
    );
    expect(stored.map((row) => ({ bucketMs: row.bucket.getTime(), score: row.score }))).toEqual(
      expected.map((a) => ({ bucketMs: a.bucketMs, score: a.score })),
    );
    const jsm = await jetstreamManager(nc);
    const events = await eventually(
      'every anomaly published',
      () => readStoredEvents(jsm, subjects.stream(MONITOR_DOMAIN), '>'),
      (list) => list.length >= expected.length,
      15_000,
    );
    expect(events.map((e) => Date.parse(String(e.data['bucket'])))).toEqual(expected.map((a) => a.bucketMs));
  }, 120_000);
});

import { eventually } from '@kailash/testing';
import type { MonitorCluster } from '../../test/monitor-cluster';
import { startMonitorCluster } from '../../test/monitor-cluster';
import { DEFAULT_ANALYTICS_CONFIG } from './analytics.config';
import { feedBuckets, liveDetector, MINUTE_MS } from './detector-step';

// Bounds for what this file waits on (a build, a process, the network); none is a speed assertion.
const BUILD_MS = 120_000;
const MINUTES = 400;
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
  let monitor: MonitorCluster;
  const start = () => monitor.start({ as: 'process' });
  const cursor = () =>
    monitor.count(
      'SELECT coalesce(max(extract(epoch FROM last_bucket) * 1000), 0) AS n FROM analytics_cursors',
    );

  beforeAll(async () => {
    monitor = await startMonitorCluster({
      // A backlog worked through in small passes, so the kill lands between two of them.
      env: { ANALYTICS_TICK_MS: '100', ANALYTICS_CLOSE_GRACE_MS: '0', ANALYTICS_MAX_BUCKETS_PER_TICK: '5' },
      timeouts: { buildMs: BUILD_MS },
    });
  }, BUILD_MS + 10_000);
  afterAll(() => monitor?.close(), 60_000);

  it('resumes the stored detector: the anomalies of an uninterrupted run, each stored and published once', async () => {
    const first = await start();
    const recorded = await first.request('POST', '/series/samples', { samples });
    expect(recorded.status).toBe(201);
    const last = END - MINUTE_MS;
    const partial = await eventually(
      'analysis under way',
      cursor,
      (ms) => ms >= FIRST + 200 * MINUTE_MS,
      30_000,
    );
    await first.kill();
    expect(partial).toBeLessThan(last); // killed mid-analysis, not after it

    await start();
    await eventually('the cursor at the last bucket', cursor, (ms) => ms === last, 30_000);
    const { rows: means } = await monitor.db.query<{ bucket: Date; mean: number }>(
      'SELECT bucket, sum / count AS mean FROM metric_rollups_1m ORDER BY bucket',
    );
    const buckets = means.map((row) => ({ bucketMs: row.bucket.getTime(), mean: Number(row.mean) }));
    const expected = feedBuckets(liveDetector(), buckets, DEFAULT_ANALYTICS_CONFIG.threshold);
    expect(expected.map((a) => a.bucketMs)).toEqual(expect.arrayContaining([FIRST + 250 * MINUTE_MS]));
    const { rows: stored } = await monitor.db.query<{ bucket: Date; score: number }>(
      'SELECT bucket, score FROM analytics_anomalies ORDER BY bucket',
    );
    expect(stored.map((row) => ({ bucketMs: row.bucket.getTime(), score: row.score }))).toEqual(
      expected.map((a) => ({ bucketMs: a.bucketMs, score: a.score })),
    );
    const events = await eventually(
      'every anomaly published',
      () => monitor.storedEvents('>'),
      (list) => list.length >= expected.length,
      15_000,
    );
    expect(events.map((e) => Date.parse(String(e.data['bucket'])))).toEqual(expected.map((a) => a.bucketMs));
  }, 120_000);
});

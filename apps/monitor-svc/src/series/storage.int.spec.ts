import { PgDatabase } from '@kailash/backbone';
import type { MetricAggregation, MetricSample } from '@kailash/contracts';
import type { MetricQuery } from '@kailash/contracts';
import { metricQuerySchema } from '@kailash/contracts';
import type { TestDatabase } from '@kailash/testing';
import { createTestDatabase, TestClock } from '@kailash/testing';
import {
  createPartitions,
  DAY_MS,
  DEFAULT_PARTITION_POLICY,
  dropExpiredPartitions,
  dropExpiredRollupPartitions,
  listPartitions,
  partitionName,
} from './partitions';
import { SERIES_SCHEMA_DDL } from './schema';
import { SKETCH_RELATIVE_ACCURACY } from './sketch';
import { materialiseRollups } from './rollup-materialiser';
import { writeSamples } from './sample-writer';
import { discRank, lcg, reference, sketchRank } from './series-reference';
import { latestMetric, queryMetrics } from './series-query';

describe('series storage (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  const clock = new TestClock(Date.parse('2026-12-01T08:00:00.000Z'));
  const start = Date.parse('2026-12-01T07:00:00.000Z');
  const samples: MetricSample[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('monitor_store');
    db = new PgDatabase(database.pool);
    for (const statement of SERIES_SCHEMA_DDL) await db.query(statement);
    await createPartitions(db, DEFAULT_PARTITION_POLICY, clock.nowMs());
    const random = lcg(7);
    // 3 series over 40 minutes, 1 sample every ~2 s, a long-tailed latency-like distribution.
    for (let i = 0; i < 1200; i++) {
      const edgeId = `edge-${i % 3}`;
      samples.push({
        edgeId,
        metric: 'latency',
        labels: { workload: 'w1' },
        value: 1 + 50 * -Math.log(1 - random()),
        at: new Date(start + i * 2000 + Math.floor(random() * 1000)).toISOString(),
      });
    }
    // Written in 7 chunks; the minutes of the first 3 are materialised before the rest arrive, so
    // later samples of those minutes are merged as late ones into stored rollups.
    for (let i = 0; i < samples.length; i += 173) {
      if (i === 3 * 173) await materialiseRollups(db, start + 12 * 60_000);
      await db.transaction((tx) => writeSamples(tx, samples.slice(i, i + 173)));
    }
    await materialiseRollups(db, clock.nowMs());
  }, 30_000);
  afterAll(() => database?.drop());

  const query = (aggregation: MetricAggregation, source: 'raw' | 'rollup', stepMs = 5 * 60_000) =>
    queryMetrics(
      db,
      metricQuerySchema.parse({
        metric: 'latency',
        edgeId: 'edge-1',
        from: new Date(start).toISOString(),
        to: new Date(start + 40 * 60_000).toISOString(),
        stepMs,
        aggregation,
        source,
      }),
    );

  const bucketsOf = (stepMs: number) => {
    const buckets = new Map<string, number[]>();
    for (const sample of samples.filter((s) => s.edgeId === 'edge-1')) {
      const k = Math.floor((Date.parse(sample.at) - start) / stepMs);
      const at = new Date(start + k * stepMs).toISOString();
      buckets.set(at, [...(buckets.get(at) ?? []), sample.value]);
    }
    return buckets;
  };

  it.each(['avg', 'min', 'max', 'sum', 'count'] as const)(
    '%s from rollups equals the same aggregate computed from the raw samples',
    async (aggregation) => {
      const expected = bucketsOf(5 * 60_000);
      for (const source of ['rollup', 'raw'] as const) {
        const result = await query(aggregation, source);
        expect(result.source).toBe(source);
        expect(result.series).toHaveLength(1);
        const points = result.series[0]?.points ?? [];
        expect(points.map((p) => p.at)).toEqual([...expected.keys()]);
        for (const point of points)
          expect(point.value).toBeCloseTo(
            reference(expected.get(point.at) ?? [], aggregation, sketchRank),
            6,
          );
      }
    },
  );

  it.each(['p50', 'p95', 'p99'] as const)(
    '%s from rollups is within the sketch accuracy; raw is exact',
    async (aggregation) => {
      const expected = bucketsOf(10 * 60_000);
      const rollup = await query(aggregation, 'rollup', 10 * 60_000);
      const raw = await query(aggregation, 'raw', 10 * 60_000);
      expect(rollup.series[0]?.points).toHaveLength(expected.size);
      for (const point of rollup.series[0]?.points ?? []) {
        const exact = reference(expected.get(point.at) ?? [], aggregation, sketchRank);
        expect(Math.abs(point.value - exact)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * exact + 1e-9);
      }
      for (const point of raw.series[0]?.points ?? [])
        expect(point.value).toBe(reference(expected.get(point.at) ?? [], aggregation, discRank));
    },
  );

  it('auto picks rollups for whole-minute steps and raw for finer ones', async () => {
    const parse = (stepMs: number): MetricQuery =>
      metricQuerySchema.parse({
        metric: 'latency',
        from: new Date(start).toISOString(),
        to: new Date(start + 10 * 60_000).toISOString(),
        stepMs,
        aggregation: 'count',
      });
    const context = { nowMs: clock.nowMs(), policy: DEFAULT_PARTITION_POLICY };
    const minute = await queryMetrics(db, parse(60_000), context);
    expect([minute.source, minute.resolution]).toEqual(['rollup', '1m']);
    const fine = await queryMetrics(db, parse(15_000), context);
    expect(fine.source).toBe('raw');
    // Every sample of the 10 minutes is counted once, whichever the source.
    const total = (r: Awaited<ReturnType<typeof queryMetrics>>) =>
      r.series.flatMap((s) => s.points).reduce((a, p) => a + p.value, 0);
    expect(total(fine)).toBe(samples.filter((s) => Date.parse(s.at) < start + 10 * 60_000).length);
    expect(total(minute)).toBe(total(fine));
  });

  it('latest gives each edge its newest sample', async () => {
    const { series } = await latestMetric(db, { metric: 'latency' });
    expect(series.map((s) => s.edgeId)).toEqual(['edge-0', 'edge-1', 'edge-2']);
    for (const entry of series) {
      const own = samples.filter((s) => s.edgeId === entry.edgeId);
      const newest = own.reduce((a, b) => (Date.parse(b.at) >= Date.parse(a.at) ? b : a));
      expect(entry).toMatchObject({ at: newest.at, value: newest.value });
    }
  });

  it('retention drops whole day partitions once they are past RETENTION_RAW, keeping younger ones', async () => {
    const before = await listPartitions(db);
    expect(before).toContain(partitionName(start));
    expect(await dropExpiredPartitions(db, DEFAULT_PARTITION_POLICY, clock.nowMs())).toEqual([]);
    // 7 days later the samples' day is still partly inside the window: nothing of it goes.
    await clock.advance(7 * DAY_MS - 3600_000 + 1);
    expect(await dropExpiredPartitions(db, DEFAULT_PARTITION_POLICY, clock.nowMs())).not.toContain(
      partitionName(start),
    );
    // Once the whole day is older than 7 d, its partition (and only partitions that old) is dropped.
    await clock.advance(17 * 3600_000);
    const dropped = await dropExpiredPartitions(db, DEFAULT_PARTITION_POLICY, clock.nowMs());
    expect(dropped).toContain(partitionName(start));
    for (const name of dropped) expect(name <= partitionName(start)).toBe(true);
    const [row] = await db.query<{ n: string }>('SELECT count(*) AS n FROM metric_samples');
    expect(Number(row?.n)).toBe(0);
    // The rollups are kept: they have their own (longer) retention.
    const rollup = await query('count', 'rollup');
    expect(rollup.series[0]?.points.reduce((a, p) => a + p.value, 0)).toBe(400);
  });

  it('drops 1-minute rollup partitions whole once past their own retention (30 d by default)', async () => {
    // The clock stands 8 days after the samples: the rollups are still inside 30 d.
    expect(await dropExpiredRollupPartitions(db, DEFAULT_PARTITION_POLICY, clock.nowMs())).not.toContain(
      'metric_rollups_1m_p20261201',
    );
    await clock.advance(23 * DAY_MS); // 31 days after the samples
    const [kept] = await db.query<{ n: string }>('SELECT count(*) AS n FROM metric_rollups_1m');
    expect(Number(kept?.n)).toBeGreaterThan(0);
    const dropped = await dropExpiredRollupPartitions(db, DEFAULT_PARTITION_POLICY, clock.nowMs());
    expect(dropped).toContain('metric_rollups_1m_p20261201');
    expect(dropped).not.toContain('metric_rollups_1h_p202612');
    expect((await query('count', 'rollup')).series).toEqual([]);
    // The hourly rollups of the same samples outlive them (1 y).
    const [hourly] = await db.query<{ n: string }>('SELECT sum(count) AS n FROM metric_rollups_1h');
    expect(Number(hourly?.n)).toBe(samples.length);
  });
});

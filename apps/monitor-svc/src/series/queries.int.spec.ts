import { PgDatabase } from '@kailash/backbone';
import type { MetricQueryAggregation, MetricSample } from '@kailash/contracts';
import { metricQuerySchema, metricSummarySchema, topKMetricSchema } from '@kailash/contracts';
import type { TestDatabase } from '@kailash/testing';
import { createTestDatabase, TestClock } from '@kailash/testing';
import { metricSummary, topKEdges } from './fleet-query';
import {
  createPartitions,
  DAY_MS,
  DEFAULT_PARTITION_POLICY,
  dropExpiredRollupPartitions,
  listTablePartitions,
  ROLLUPS_1H,
  ROLLUPS_1M,
} from './partitions';
import type { QueryContext } from './resolution';
import { HOUR_MS, MINUTE_MS } from './rollup';
import { materialiseRollups } from './rollup-materialiser';
import { writeSamples } from './sample-writer';
import { SERIES_SCHEMA_DDL } from './schema';
import { lastPerBucket, lcg, reference, referenceRate, sketchRank } from './series-reference';
import { queryMetrics } from './series-query';
import { SKETCH_RELATIVE_ACCURACY } from './sketch';

const EDGES = ['edge-a', 'edge-b', 'edge-c', 'edge-d'];
const START = Date.parse('2026-12-01T02:00:00.000Z');
const HOURS = 5;
const iso = (ms: number) => new Date(ms).toISOString();

/** Latency-like gauges (edge-a has two workloads) and request counters, one of which resets. */
function generate(): MetricSample[] {
  const random = lcg(11);
  const samples: MetricSample[] = [];
  EDGES.forEach((edgeId, e) => {
    const workloads = edgeId === 'edge-a' ? ['w1', 'w2'] : ['w1'];
    for (const workload of workloads)
      for (let t = START + 1000 * e; t < START + HOURS * HOUR_MS; t += 45_000 + Math.floor(random() * 5000))
        samples.push({
          edgeId,
          metric: 'latency',
          labels: { workload },
          value: (1 + e) * (1 + 20 * -Math.log(1 - random())),
          at: iso(t),
        });
    let counter = 0;
    for (let t = START + 500 * e; t < START + HOURS * HOUR_MS; t += 30_000) {
      counter += Math.floor(random() * 100 * (1 + e));
      // edge-b restarts mid-way: its counter starts again from a small value.
      if (edgeId === 'edge-b' && t >= START + 2.5 * HOUR_MS && t < START + 2.5 * HOUR_MS + 30_000)
        counter = 7;
      samples.push({ edgeId, metric: 'requests_total', labels: {}, value: counter, at: iso(t) });
    }
  });
  return samples;
}

describe('1-hour rollups, rate, top-k and summary (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  const clock = new TestClock(Date.parse('2026-12-01T08:00:00.000Z'));
  const context = (): QueryContext => ({ nowMs: clock.nowMs(), policy: DEFAULT_PARTITION_POLICY });
  const samples = generate();
  const of = (metric: string, edgeId?: string) =>
    samples.filter((s) => s.metric === metric && (edgeId === undefined || s.edgeId === edgeId));
  const window = { from: iso(START), to: iso(START + HOURS * HOUR_MS) };

  beforeAll(async () => {
    database = await createTestDatabase('monitor_queries');
    db = new PgDatabase(database.pool);
    for (const statement of SERIES_SCHEMA_DDL) await db.query(statement);
    await createPartitions(db, DEFAULT_PARTITION_POLICY, clock.nowMs());
    // Shuffled and written in 11 transactions; after the 5th the materialiser folds what is there,
    // so the rest is merged as late samples into stored rows, out of order.
    const random = lcg(3);
    const shuffled = [...samples].sort(() => random() - 0.5);
    const chunk = Math.ceil(shuffled.length / 11);
    for (let i = 0; i < shuffled.length; i += chunk) {
      if (i === 5 * chunk) await materialiseRollups(db, clock.nowMs());
      await db.transaction((tx) => writeSamples(tx, shuffled.slice(i, i + chunk)));
    }
    await materialiseRollups(db, clock.nowMs());
  }, 60_000);
  afterAll(() => database?.drop());

  const range = (aggregation: MetricQueryAggregation, source: string, stepMs: number, metric = 'latency') =>
    queryMetrics(
      db,
      metricQuerySchema.parse({ metric, edgeId: 'edge-c', ...window, stepMs, aggregation, source }),
      context(),
    );

  const buckets = (metric: string, stepMs: number) => {
    const out = new Map<string, number[]>();
    for (const s of of(metric, 'edge-c')) {
      const at = iso(START + Math.floor((Date.parse(s.at) - START) / stepMs) * stepMs);
      out.set(at, [...(out.get(at) ?? []), s.value]);
    }
    return out;
  };

  it.each(['avg', 'min', 'max', 'sum', 'count'] as const)(
    '%s from 1-hour rollups equals the same aggregate computed from the raw samples',
    async (aggregation) => {
      const expected = buckets('latency', HOUR_MS);
      for (const source of ['rollup_1h', 'raw', 'auto']) {
        const result = await range(aggregation, source, HOUR_MS);
        expect(result.resolution).toBe(source === 'raw' ? 'raw' : '1h');
        const points = result.series[0]?.points ?? [];
        expect(points.map((p) => p.at)).toEqual([...expected.keys()]);
        for (const p of points)
          expect(p.value).toBeCloseTo(reference(expected.get(p.at) ?? [], aggregation, sketchRank), 6);
      }
    },
  );

  it.each(['p50', 'p95', 'p99'] as const)(
    '%s from 1-hour rollups is within the sketch accuracy',
    async (q) => {
      const expected = buckets('latency', HOUR_MS);
      const points = (await range(q, 'rollup_1h', HOUR_MS)).series[0]?.points ?? [];
      expect(points).toHaveLength(HOURS);
      for (const p of points) {
        const exact = reference(expected.get(p.at) ?? [], q, sketchRank);
        expect(Math.abs(p.value - exact)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * exact + 1e-9);
      }
    },
  );

  it('rate of a counter from raw samples and from both rollups equals the rate computed from the samples', async () => {
    const points = of('requests_total', 'edge-c').map((s) => ({ atMs: Date.parse(s.at), value: s.value }));
    const check = async (source: string, stepMs: number, seen: { atMs: number; value: number }[]) => {
      const result = await range('rate', source, stepMs, 'requests_total');
      const expected = referenceRate(seen, START, stepMs);
      const got = result.series[0]?.points ?? [];
      expect(got.map((p) => (Date.parse(p.at) - START) / stepMs)).toEqual([...expected.keys()]);
      for (const p of got)
        expect(p.value).toBeCloseTo(expected.get((Date.parse(p.at) - START) / stepMs) ?? NaN, 9);
      return got;
    };
    const raw = await check('raw', 15 * MINUTE_MS, points);
    const minute = await check('rollup_1m', 15 * MINUTE_MS, lastPerBucket(points, MINUTE_MS));
    await check('rollup_1h', HOUR_MS, lastPerBucket(points, HOUR_MS));
    // Without a reset the rises telescope, so every resolution gives the same increase once a
    // bucket has a predecessor (the first minute's own rise is inside one rollup row).
    expect(minute).toHaveLength(raw.length);
    minute.slice(1).forEach((p, i) => expect(p.value).toBeCloseTo(raw[i + 1]?.value ?? NaN, 9));
    expect(raw.every((p) => p.value > 0)).toBe(true);
  });

  it('rate counts a counter reset as the rise since the reset, never as a negative rate', async () => {
    const result = await queryMetrics(
      db,
      metricQuerySchema.parse({
        metric: 'requests_total',
        edgeId: 'edge-b',
        ...window,
        stepMs: 30 * MINUTE_MS,
        aggregation: 'rate',
        source: 'raw',
      }),
      context(),
    );
    const points = of('requests_total', 'edge-b').map((s) => ({ atMs: Date.parse(s.at), value: s.value }));
    const expected = referenceRate(points, START, 30 * MINUTE_MS);
    const got = result.series[0]?.points ?? [];
    expect(got).toHaveLength(expected.size);
    for (const p of got) {
      expect(p.value).toBeGreaterThanOrEqual(0);
      expect(p.value).toBeCloseTo(expected.get((Date.parse(p.at) - START) / (30 * MINUTE_MS)) ?? NaN, 9);
    }
  });

  it('auto picks the resolution by step, alignment and what retention still keeps at from', async () => {
    const resolution = async (from: number, stepMs: number, nowMs = clock.nowMs()) =>
      (
        await queryMetrics(
          db,
          metricQuerySchema.parse({
            metric: 'latency',
            from: iso(from),
            to: iso(from + 2 * HOUR_MS),
            stepMs,
            aggregation: 'count',
          }),
          { nowMs, policy: DEFAULT_PARTITION_POLICY },
        )
      ).resolution;
    expect(await resolution(START, HOUR_MS)).toBe('1h');
    expect(await resolution(START, 5 * MINUTE_MS)).toBe('1m');
    expect(await resolution(START, 15_000)).toBe('raw');
    expect(await resolution(START + MINUTE_MS, HOUR_MS)).toBe('1m');
    // Older than RETENTION_RAW (7 d): rollups even for a fine step; older than RETENTION_1M (30 d): 1 h.
    expect(await resolution(START, 15_000, START + 8 * DAY_MS)).toBe('1m');
    expect(await resolution(START, MINUTE_MS, START + 31 * DAY_MS)).toBe('1h');
    await expect(range('avg', 'rollup_1h', 5 * MINUTE_MS)).rejects.toThrow(/stepMs/);
  });

  const edgeValues = (metric: string, aggregate: (values: number[]) => number) =>
    EDGES.map((edgeId) => ({ edgeId, value: aggregate(of(metric, edgeId).map((s) => s.value)) }));

  it('top-k ranks edges by a metric over the window, all their series together', async () => {
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const expected = edgeValues('latency', mean).sort((a, b) => b.value - a.value);
    for (const [from, to] of [
      [window.from, window.to], // hour-aligned: 1-hour rollups
      [iso(START + 1), iso(START + HOURS * HOUR_MS)], // unaligned: raw samples
    ] as const) {
      const top = await topKEdges(
        db,
        topKMetricSchema.parse({ metric: 'latency', from, to, k: 2 }),
        context(),
      );
      expect(top.edges.map((e) => e.edgeId)).toEqual(expected.slice(0, 2).map((e) => e.edgeId));
      top.edges.forEach((e, i) => expect(e.value).toBeCloseTo(expected[i]?.value ?? NaN, 6));
    }
    const low = await topKEdges(
      db,
      topKMetricSchema.parse({ metric: 'latency', ...window, k: 1, order: 'asc' }),
      context(),
    );
    expect(low.edges.map((e) => e.edgeId)).toEqual([expected[expected.length - 1]?.edgeId]);
    const p95 = await topKEdges(
      db,
      topKMetricSchema.parse({ metric: 'latency', ...window, k: 4, aggregation: 'p95' }),
      context(),
    );
    for (const entry of p95.edges) {
      const exact = reference(
        of('latency', entry.edgeId).map((s) => s.value),
        'p95',
        sketchRank,
      );
      expect(Math.abs(entry.value - exact)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * exact + 1e-9);
    }
  });

  it('summary gives per metric the edges, those reporting, avg/min/max/p95 and the latest time', async () => {
    const summary = await metricSummary(db, metricSummarySchema.parse(window), context());
    expect(summary.resolution).toBe('1h');
    expect(summary.metrics.map((m) => m.metric)).toEqual(['latency', 'requests_total']);
    const latency = summary.metrics[0];
    const values = of('latency').map((s) => s.value);
    expect(latency).toMatchObject({ edges: 4, edgesReporting: 4, samples: values.length });
    expect(latency?.avg).toBeCloseTo(reference(values, 'avg', sketchRank), 6);
    expect(latency?.min).toBe(Math.min(...values));
    expect(latency?.max).toBe(Math.max(...values));
    const p95 = reference(values, 'p95', sketchRank);
    expect(Math.abs((latency?.p95 ?? 0) - p95)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * p95);
    expect(latency?.latestAt).toBe(iso(Math.max(...of('latency').map((s) => Date.parse(s.at)))));
    // A window with no samples: every edge is known, none reports.
    const empty = await metricSummary(
      db,
      metricSummarySchema.parse({
        from: iso(START - 2 * HOUR_MS),
        to: iso(START - HOUR_MS),
        metrics: ['latency'],
      }),
      context(),
    );
    expect(empty.metrics).toEqual([
      expect.objectContaining({
        metric: 'latency',
        edges: 4,
        edgesReporting: 0,
        samples: 0,
        avg: null,
        p95: null,
      }),
    ]);
  });

  it('rollup retention drops whole partitions: 1-minute days after 30 d, 1-hour months after 1 y', async () => {
    const rows = async (table: string) =>
      Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
    const hourly = await rows('metric_rollups_1h');
    const drop = () => dropExpiredRollupPartitions(db, DEFAULT_PARTITION_POLICY, clock.nowMs());
    expect(await drop()).toEqual([]);
    await clock.advance(30 * DAY_MS);
    // 30 days after 08:00 the samples' day (from 00:00) is not yet wholly past the cut-off.
    expect(await drop()).not.toContain('metric_rollups_1m_p20261201');
    expect(await rows('metric_rollups_1m')).toBeGreaterThan(0);
    await clock.advance(16 * 3600_000 + 1);
    const dropped = await drop();
    expect(dropped).toContain('metric_rollups_1m_p20261201');
    for (const name of dropped)
      expect(name <= 'metric_rollups_1m_p20261201' || name < 'metric_rollups_1h_p202612').toBe(true);
    expect(await rows('metric_rollups_1m')).toBe(0);
    expect(await rows('metric_rollups_1h')).toBe(hourly);
    expect(await listTablePartitions(db, ROLLUPS_1M)).not.toContain('metric_rollups_1m_p20261201');
    // December's hourly partition goes once all of December is more than 365 days old: 2028-01-01.
    await clock.advance(Date.parse('2027-12-31T23:00:00.000Z') - clock.nowMs());
    expect(await drop()).not.toContain('metric_rollups_1h_p202612');
    expect(await rows('metric_rollups_1h')).toBe(hourly);
    await clock.advance(Date.parse('2028-01-01T00:00:00.001Z') - clock.nowMs());
    expect(await drop()).toContain('metric_rollups_1h_p202612');
    expect(await rows('metric_rollups_1h')).toBe(0);
    expect(await listTablePartitions(db, ROLLUPS_1H)).not.toContain('metric_rollups_1h_p202612');
  });
});

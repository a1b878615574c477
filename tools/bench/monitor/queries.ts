import type { PgDatabase } from '@kailash/backbone';
import type { MetricQuery, MetricQueryAggregation } from '@kailash/contracts';
import { metricQuerySchema } from '@kailash/contracts';
import { seededRandom } from '@kailash/random';
import type { PartitionPolicy } from '../../../apps/monitor-svc/src/series/partitions';
import { HOUR_MS, MINUTE_MS } from '../../../apps/monitor-svc/src/series/rollup';
import { queryMetrics } from '../../../apps/monitor-svc/src/series/series-query';
import { newSketch, sketchToBytes } from '../../../apps/monitor-svc/src/series/sketch';
import { percentile } from '../report';

export const QUERY_SERIES = 1000;

/**
 * 1,000 latency series with 24 h of 1-minute rollups and 30 d of 1-hour rollups, written by SQL
 * (each row carries a real sketch of 6 or 360 samples), so the query figures do not wait on
 * 1.4 million samples' worth of ingest.
 */
export async function seedRollups(
  db: PgDatabase,
  nowMs: number,
): Promise<{ minuteRows: number; hourRows: number }> {
  await db.query(
    `INSERT INTO metric_series (edge_id, metric, labels, labels_key)
     SELECT 'q-' || lpad(i::text, 4, '0'), 'latency', '{}'::jsonb, '{}' FROM generate_series(0, $1 - 1) i`,
    [QUERY_SERIES],
  );
  const sketchOf = (n: number) => {
    const sketch = newSketch();
    for (let i = 0; i < n; i++) sketch.accept(5 + 40 * -Math.log(1 - (i + 0.5) / n));
    return sketch;
  };
  const seed = async (table: string, widthMs: number, buckets: number, perBucket: number) => {
    const end = Math.floor(nowMs / widthMs) * widthMs;
    const sketch = sketchOf(perBucket);
    // The quantiles the rollup writer stores with each row, from the same sketch.
    await db.query(
      `INSERT INTO ${table} (series_id, bucket, count, sum, min, max, last, last_at, sketch, p50, p95, p99)
       SELECT s.id, b, $1::bigint, $1::float8 * (20 + 10 * random()), 5, 200 * random() + 50, 20, b, $2, $6, $7, $8
         FROM metric_series s, generate_series($3::timestamptz, $4::timestamptz, $5::interval) b
        WHERE s.metric = 'latency' AND s.edge_id LIKE 'q-%'`,
      [
        perBucket,
        sketchToBytes(sketch),
        new Date(end - (buckets - 1) * widthMs),
        new Date(end),
        `${widthMs / 1000} seconds`,
        ...[0.5, 0.95, 0.99].map((q) => sketch.getValueAtQuantile(q)),
      ],
    );
  };
  await seed('metric_rollups_1m', MINUTE_MS, 24 * 60, 6);
  await seed('metric_rollups_1h', HOUR_MS, 30 * 24, 360);
  await db.query('ANALYZE metric_series');
  await db.query('ANALYZE metric_rollups_1m');
  await db.query('ANALYZE metric_rollups_1h');
  return { minuteRows: QUERY_SERIES * 24 * 60, hourRows: QUERY_SERIES * 30 * 24 };
}

export interface QueryFigures {
  readonly name: string;
  readonly runs: number;
  readonly points: number;
  readonly resolution: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Sequential queries through the service's query function, each for a random series (or the fleet). */
export async function measureQuery(
  db: PgDatabase,
  policy: PartitionPolicy,
  nowMs: number,
  spec: {
    name: string;
    rangeMs: number;
    stepMs: number;
    aggregation: MetricQueryAggregation;
    fleet?: boolean;
    runs: number;
  },
): Promise<QueryFigures> {
  const to = Math.floor(nowMs / spec.stepMs) * spec.stepMs + spec.stepMs;
  const timings: number[] = [];
  let points = 0;
  let resolution = '';
  // Seeded, so every run queries the same series in the same order.
  const pick = seededRandom(spec.rangeMs + spec.stepMs);
  for (let run = 0; run < spec.runs + 5; run++) {
    const query: MetricQuery = metricQuerySchema.parse({
      metric: 'latency',
      ...(spec.fleet ? {} : { edgeId: `q-${String(Math.floor(pick() * QUERY_SERIES)).padStart(4, '0')}` }),
      from: new Date(to - spec.rangeMs).toISOString(),
      to: new Date(to).toISOString(),
      stepMs: spec.stepMs,
      aggregation: spec.aggregation,
    });
    const started = process.hrtime.bigint();
    const result = await queryMetrics(db, query, { nowMs, policy });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (run < 5) continue; // warm-up
    timings.push(ms);
    points = result.series.reduce((n, s) => n + s.points.length, 0);
    resolution = result.resolution;
  }
  return {
    name: spec.name,
    runs: spec.runs,
    points,
    resolution,
    p50Ms: percentile(timings, 50),
    p99Ms: percentile(timings, 99),
  };
}

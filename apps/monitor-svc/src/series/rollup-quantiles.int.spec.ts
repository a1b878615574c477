import { openSeriesDatabase } from '../../test/series-database';
import type { PgDatabase } from '@kailash/backbone';
import type { MetricQuery, MetricSample } from '@kailash/contracts';
import { metricQuerySchema } from '@kailash/contracts';
import type { TestDatabase } from '@kailash/testing';
import { DEFAULT_PARTITION_POLICY } from './partitions';
import { materialiseRollups } from './rollup-materialiser';
import { writeSamples } from './sample-writer';
import { queryMetrics } from './series-query';
import { lcg } from './series-reference';
import { sketchFromBytes } from './sketch';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const START = NOW - 3 * 3600_000;

describe('quantiles stored with the rollups (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: PgDatabase;

  beforeAll(async () => {
    ({ database, db } = await openSeriesDatabase('monitor_rollup_quantiles', NOW));
    const random = lcg(11);
    const samples: MetricSample[] = Array.from({ length: 1800 }, (_, i) => ({
      edgeId: `edge-${i % 2}`,
      metric: 'latency',
      labels: {},
      value: 1 + 30 * -Math.log(1 - random()),
      at: new Date(START + i * 6_000).toISOString(),
    }));
    // Half before a materialisation and half after, so hour rows are merged, not only inserted.
    await db.transaction((tx) => writeSamples(tx, samples.slice(0, 900)));
    await materialiseRollups(db, START + 90 * 60_000);
    await db.transaction((tx) => writeSamples(tx, samples.slice(900)));
    await materialiseRollups(db, NOW);
  }, 30_000);
  afterAll(() => database?.drop());

  it.each(['metric_rollups_1m', 'metric_rollups_1h'])(
    'stores each row its own sketch quantiles: %s',
    async (table) => {
      const rows = await db.query<{ sketch: Buffer; p50: number; p95: number; p99: number }>(
        `SELECT sketch, p50, p95, p99 FROM ${table}`,
      );
      expect(rows.length).toBeGreaterThan(2);
      for (const row of rows) {
        const sketch = sketchFromBytes(row.sketch);
        expect([row.p50, row.p95, row.p99]).toEqual(
          [0.5, 0.95, 0.99].map((q) => sketch.getValueAtQuantile(q)),
        );
      }
    },
  );

  const query = (stepMs: number, aggregation: 'p95' | 'p99', edgeId?: string): MetricQuery =>
    metricQuerySchema.parse({
      metric: 'latency',
      ...(edgeId ? { edgeId } : {}),
      from: new Date(START).toISOString(),
      to: new Date(NOW).toISOString(),
      stepMs,
      aggregation,
      source: 'rollup',
    });
  const context = { nowMs: NOW, policy: DEFAULT_PARTITION_POLICY };

  it('answers queries at the rollup steps as the sketches do', async () => {
    const steps = [60_000, 3600_000];
    const stored = await Promise.all(steps.map((stepMs) => queryMetrics(db, query(stepMs, 'p95'), context)));
    await db.query('UPDATE metric_rollups_1m SET p95 = NULL');
    await db.query('UPDATE metric_rollups_1h SET p95 = NULL');
    // Rows without stored quantiles (written before they were stored) are answered from their sketch.
    const fromSketches = await Promise.all(
      steps.map((stepMs) => queryMetrics(db, query(stepMs, 'p95'), context)),
    );
    expect(stored).toEqual(fromSketches);
    expect(stored.map((result) => result.series.map((s) => s.points.length))).toEqual([
      [179, 179],
      [3, 3],
    ]);
  });

  it('reads the stored quantile rather than decoding the sketch', async () => {
    await db.query(
      `UPDATE metric_rollups_1m SET p99 = -1 WHERE bucket = $1 AND series_id = (SELECT min(id) FROM metric_series)`,
      [new Date(START)],
    );
    const result = await queryMetrics(db, query(60_000, 'p99'), context);
    expect(result.series[0]?.points[0]).toEqual({ at: new Date(START).toISOString(), value: -1 });
  });
});

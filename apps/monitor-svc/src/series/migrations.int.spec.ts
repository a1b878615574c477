import type { TestDatabase } from '@kailash/testing';
import { createTestDatabase } from '@kailash/testing';
import type { QueryRunner } from 'typeorm';
import { CreateSeries1796127885600 } from './1796127885600-create-series';
import { PartitionRollups1796133974600 } from './1796133974600-partition-rollups';
import { foldSamples, HOUR_MS, MINUTE_MS } from './rollup';
import { sketchFromBytes, sketchToBytes, SKETCH_RELATIVE_ACCURACY } from './sketch';
import { lcg, reference, sketchRank } from './series-reference';

const START = Date.parse('2026-11-30T22:00:00.000Z');

describe('rollup partitioning migration (real PostgreSQL)', () => {
  let database: TestDatabase;
  let runner: QueryRunner;
  const random = lcg(5);
  // 3 series, one sample every 20 s for 3 hours across midnight, as the first schema stored them.
  const samples = [1, 2, 3].flatMap((seriesId) =>
    Array.from({ length: 540 }, (_, i) => ({
      seriesId: String(seriesId),
      atMs: START + i * 20_000,
      value: seriesId * 10 * -Math.log(1 - random()),
    })),
  );

  beforeAll(async () => {
    database = await createTestDatabase('monitor_migrate');
    runner = {
      query: async (sql: string, params?: unknown[]) => (await database.pool.query(sql, params)).rows,
    } as unknown as QueryRunner;
    await new CreateSeries1796127885600().up(runner);
    for (const entry of foldSamples(samples, MINUTE_MS))
      await database.pool.query(`INSERT INTO metric_rollups_1m VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
        entry.seriesId,
        new Date(entry.bucketMs),
        entry.rollup.count,
        entry.rollup.sum,
        entry.rollup.min,
        entry.rollup.max,
        entry.rollup.last,
        new Date(entry.rollup.lastAtMs),
        sketchToBytes(entry.rollup.sketch),
      ]);
    await new PartitionRollups1796133974600().up(runner);
  }, 60_000);
  afterAll(() => database?.drop());

  const kind = async (table: string) =>
    (
      await database.pool.query<{ relkind: string }>('SELECT relkind FROM pg_class WHERE relname = $1', [
        table,
      ])
    ).rows[0]?.relkind;

  it('moves the 1-minute rows into day partitions and builds the 1-hour rows from them', async () => {
    expect(await kind('metric_rollups_1m')).toBe('p');
    expect(await kind('metric_rollups_1h')).toBe('p');
    expect(await kind('metric_rollups_1m_p20261130')).toBe('r');
    expect(await kind('metric_rollups_1m_p20261201')).toBe('r');
    expect(await kind('metric_rollups_1h_p202611')).toBe('r');
    const minute = await database.pool.query(
      'SELECT count(*)::int AS n, sum(count)::int AS c FROM metric_rollups_1m',
    );
    expect(minute.rows[0]).toEqual({ n: 3 * 180, c: samples.length });
    const hours = await database.pool.query<{
      series_id: string;
      bucket: Date;
      count: string;
      sum: number;
      min: number;
      max: number;
      last: number;
      sketch: Buffer;
    }>('SELECT * FROM metric_rollups_1h ORDER BY series_id, bucket');
    const expected = foldSamples(samples, HOUR_MS);
    expect(hours.rows).toHaveLength(expected.length);
    hours.rows.forEach((row, i) => {
      const want = expected[i];
      expect([row.series_id, row.bucket.getTime()]).toEqual([want?.seriesId, want?.bucketMs]);
      expect(Number(row.count)).toBe(want?.rollup.count);
      expect(row.sum).toBeCloseTo(want?.rollup.sum ?? NaN, 6);
      expect([row.min, row.max, row.last]).toEqual([want?.rollup.min, want?.rollup.max, want?.rollup.last]);
      const values = samples
        .filter(
          (s) =>
            s.seriesId === row.series_id && Math.floor(s.atMs / HOUR_MS) * HOUR_MS === row.bucket.getTime(),
        )
        .map((s) => s.value);
      const exact = reference(values, 'p95', sketchRank);
      const fromSketch = sketchFromBytes(row.sketch).getValueAtQuantile(0.95);
      expect(Math.abs(fromSketch - exact)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * exact + 1e-9);
    });
  });

  it('goes back to the unpartitioned 1-minute table with its rows', async () => {
    await new PartitionRollups1796133974600().down(runner);
    expect(await kind('metric_rollups_1m')).toBe('r');
    expect(await kind('metric_rollups_1h')).toBeUndefined();
    const minute = await database.pool.query('SELECT sum(count)::int AS c FROM metric_rollups_1m');
    expect(minute.rows[0]).toEqual({ c: samples.length });
  });
});

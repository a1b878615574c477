import { openSeriesDatabase } from '../../test/series-database';
import type { PgDatabase } from '@kailash/backbone';
import type { MetricSample } from '@kailash/contracts';
import type { TestDatabase } from '@kailash/testing';
import { materialiseRollups, RollupMaterialiser } from './rollup-materialiser';
import { rollupWatermark } from './rollup-watermark';
import { writeSamples } from './sample-writer';
import { SeriesCache } from './series-cache';

const NOW = Date.parse('2026-12-01T08:00:00.000Z');
const MIN = 60_000;

const sample = (edge: number, atMs: number, value: number): MetricSample => ({
  edgeId: `edge-${edge}`,
  metric: 'cpu',
  labels: { scope: 'process' },
  value,
  at: new Date(atMs).toISOString(),
});

describe('rollup materialiser (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: PgDatabase;

  beforeAll(async () => {
    ({ database, db } = await openSeriesDatabase('monitor_materialise', NOW));
  }, 30_000);
  afterAll(() => database?.drop());

  /** Per series and minute: count and sum from raw, and from the 1-minute and 1-hour rollups. */
  const compare = async () => {
    const [row] = await db.query<{ raw: string; m: string; h: string; rs: number; ms: number; hs: number }>(
      `SELECT (SELECT count(*) FROM metric_samples) AS raw, (SELECT coalesce(sum(value), 0) FROM metric_samples) AS rs,
              (SELECT coalesce(sum(count), 0) FROM metric_rollups_1m) AS m, (SELECT coalesce(sum(sum), 0) FROM metric_rollups_1m) AS ms,
              (SELECT coalesce(sum(count), 0) FROM metric_rollups_1h) AS h, (SELECT coalesce(sum(sum), 0) FROM metric_rollups_1h) AS hs`,
    );
    return row;
  };
  const perMinute = (sql: string) => db.query<{ bucket: Date; n: string }>(sql);

  it('folds only closed minutes, moves the watermark to the last one, and folds nothing twice', async () => {
    const cache = new SeriesCache();
    const samples = [0, 1, 2].flatMap((edge) =>
      Array.from({ length: 30 }, (_, i) => sample(edge, NOW - 10 * MIN + i * 20_000, i + edge)),
    );
    await cache.within((scope) => db.transaction((tx) => writeSamples(tx, samples, scope)));
    expect(await rollupWatermark(db)).toBe(-Infinity);
    // 5 s past 07:55: minute 07:54's grace (10 s) is not over, so 07:53 is the last one folded.
    const first = await materialiseRollups(db, NOW - 5 * MIN + 5_000);
    expect(first.watermarkMs).toBe(NOW - 6 * MIN);
    expect(await rollupWatermark(db)).toBe(NOW - 6 * MIN);
    // 07:50 to 07:53, 3 samples a minute, 3 series.
    expect(first.samples).toBe(4 * 3 * 3);
    const again = await materialiseRollups(db, NOW - 5 * MIN + 5_000);
    expect(again.samples).toBe(0);
    const [row] = await db.query<{ n: string }>('SELECT sum(count) AS n FROM metric_rollups_1m');
    expect(Number(row?.n)).toBe(36);
  });

  it('merges a late sample (for a folded minute) at write time, so rollups still equal raw', async () => {
    const late = [sample(1, NOW - 9 * MIN + 1_000, 1000), sample(7, NOW - 8 * MIN, 5)];
    await db.transaction((tx) => writeSamples(tx, late));
    // A minute past NOW every sample's minute (the last is 07:59) is closed.
    const done = await materialiseRollups(db, NOW + MIN);
    expect(done.watermarkMs).toBe(NOW);
    const totals = await compare();
    expect(Number(totals?.m)).toBe(Number(totals?.raw));
    expect(Number(totals?.h)).toBe(Number(totals?.raw));
    expect(totals?.ms).toBeCloseTo(totals?.rs as number, 6);
    expect(totals?.hs).toBeCloseTo(totals?.rs as number, 6);
    const raw = await perMinute(
      `SELECT date_trunc('minute', at) AS bucket, count(*) AS n FROM metric_samples GROUP BY 1 ORDER BY 1`,
    );
    const rolled = await perMinute(
      'SELECT bucket, sum(count) AS n FROM metric_rollups_1m GROUP BY 1 ORDER BY 1',
    );
    expect(rolled.map((r) => [r.bucket.getTime(), Number(r.n)])).toEqual(
      raw.map((r) => [r.bucket.getTime(), Number(r.n)]),
    );
  });

  it('keeps rollups equal to raw with writers and two materialisers running concurrently', async () => {
    const writes = Array.from({ length: 8 }, (_, w) =>
      db.transaction((tx) =>
        writeSamples(
          tx,
          Array.from({ length: 50 }, (_, i) => sample(w % 4, NOW - 3 * MIN + (w * 50 + i) * 300, w + i)),
        ),
      ),
    );
    const folds = [0, 1, 2, 3].map((i) => materialiseRollups(db, NOW + 30_000 + i * 20_000));
    await Promise.all([...writes, ...folds]);
    await materialiseRollups(db, NOW + 2 * MIN);
    const totals = await compare();
    expect(Number(totals?.m)).toBe(Number(totals?.raw));
    expect(Number(totals?.h)).toBe(Number(totals?.raw));
    expect(totals?.ms).toBeCloseTo(totals?.rs as number, 6);
  }, 30_000);

  it('lets only one instance be the active materialiser', async () => {
    const [one, two] = [new RollupMaterialiser(db), new RollupMaterialiser(db)];
    try {
      expect(await one.runOnce(NOW + 2 * MIN)).toBeDefined();
      expect(await two.runOnce(NOW + 2 * MIN)).toBeUndefined();
      await one.release();
      expect(await two.runOnce(NOW + 2 * MIN)).toBeDefined();
    } finally {
      await one.release();
      await two.release();
    }
  });
});

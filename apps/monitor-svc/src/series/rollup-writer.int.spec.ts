import { openSeriesDatabase } from '../../test/series-database';
import type { PgDatabase } from '@kailash/backbone';
import type { TestDatabase } from '@kailash/testing';
import { ROLLUPS_1M } from './partitions';
import { foldSamples, MINUTE_MS } from './rollup';
import { mergeRollupRows, storedRollup } from './rollup-writer';
import type { StoredRollup } from './rollup-writer';

const NOW = Date.parse('2026-12-01T08:00:00.000Z');

describe('rollup writer (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: PgDatabase;

  beforeAll(async () => {
    ({ database, db } = await openSeriesDatabase('monitor_rollup_writer', NOW));
  }, 30_000);
  afterAll(() => database?.drop());

  const stored = async () =>
    (await db.query<StoredRollup>('SELECT * FROM metric_rollups_1m ORDER BY series_id, bucket')).map(
      (row) => ({
        series: row.series_id,
        bucket: row.bucket.getTime(),
        ...storedRollup(row),
        sketch: storedRollup(row).sketch.count,
      }),
    );

  it('merges rows it expected to be new into the stored ones instead of overwriting them', async () => {
    const first = [
      { seriesId: '1', atMs: NOW + 1_000, value: 10 },
      { seriesId: '2', atMs: NOW + 2_000, value: 4 },
    ];
    const second = [
      { seriesId: '1', atMs: NOW + 30_000, value: 2 },
      { seriesId: '3', atMs: NOW + 40_000, value: 7 },
    ];
    await db.transaction((tx) =>
      mergeRollupRows(tx, ROLLUPS_1M, foldSamples(first, MINUTE_MS), { likelyNew: true }),
    );
    await db.transaction((tx) =>
      mergeRollupRows(tx, ROLLUPS_1M, foldSamples(second, MINUTE_MS), { likelyNew: true }),
    );
    expect(await stored()).toEqual([
      {
        series: '1',
        bucket: NOW,
        count: 2,
        sum: 12,
        min: 2,
        max: 10,
        last: 2,
        lastAtMs: NOW + 30_000,
        sketch: 2,
      },
      {
        series: '2',
        bucket: NOW,
        count: 1,
        sum: 4,
        min: 4,
        max: 4,
        last: 4,
        lastAtMs: NOW + 2_000,
        sketch: 1,
      },
      {
        series: '3',
        bucket: NOW,
        count: 1,
        sum: 7,
        min: 7,
        max: 7,
        last: 7,
        lastAtMs: NOW + 40_000,
        sketch: 1,
      },
    ]);
  });
});

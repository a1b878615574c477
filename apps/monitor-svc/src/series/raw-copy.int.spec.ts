import { openSeriesDatabase } from '../../test/series-database';
import type { SqlExecutor } from '@kailash/backbone';
import type { PgDatabase } from '@kailash/backbone';
import { canCopy } from '@kailash/backbone';
import type { MetricSample } from '@kailash/contracts';
import type { TestDatabase } from '@kailash/testing';
import { rawCopyBuffer, rawCopyStatement } from './raw-copy';
import { writeSamples } from './sample-writer';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');

describe('raw samples by binary COPY (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: PgDatabase;

  beforeAll(async () => {
    ({ database, db } = await openSeriesDatabase('monitor_raw_copy', NOW));
  }, 30_000);
  afterAll(() => database?.drop());

  const rowsOf = (table: string) =>
    db.query<{ id: string; at: string; value: number }>(
      `SELECT series_id::text AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at, value
         FROM ${table} ORDER BY series_id, at, value`,
    );

  it('stores ids past 2^32, times before 2000 and odd values exactly as given', async () => {
    await db.query('CREATE TABLE copy_probe (series_id bigint, at timestamptz, value float8)');
    const rows = [
      { seriesId: 2 ** 40 + 7, atMs: Date.parse('2026-12-01T11:59:59.999Z'), value: -0.1 },
      { seriesId: 1, atMs: Date.parse('1999-12-31T23:59:59.001Z'), value: 1e-300 },
      { seriesId: 2 ** 53 - 1, atMs: 0, value: 123456789.125 },
    ];
    await db.transaction(async (tx) => {
      if (!canCopy(tx)) throw new Error('a PgDatabase transaction streams COPY');
      await tx.copyFrom(rawCopyStatement('copy_probe'), [rawCopyBuffer(rows)]);
    });
    expect(await rowsOf('copy_probe')).toEqual([
      { id: '1', at: '1999-12-31T23:59:59.001000', value: 1e-300 },
      { id: '1099511627783', at: '2026-12-01T11:59:59.999000', value: -0.1 },
      { id: '9007199254740991', at: '1970-01-01T00:00:00.000000', value: 123456789.125 },
    ]);
  });

  it('writes the same raw rows by COPY as by the INSERT an executor without COPY gets', async () => {
    const samples: MetricSample[] = [];
    for (let i = 0; i < 500; i++)
      samples.push({
        edgeId: `edge-${i % 7}`,
        metric: 'cpu',
        labels: { core: String(i % 3) },
        value: Math.sin(i) * 100,
        // Two days, so both partitions get their own statement.
        at: new Date(NOW - 86_400_000 + i * 345_679).toISOString(),
      });
    await db.transaction((tx) => writeSamples(tx, samples.slice(0, 250)));
    const copied = await rowsOf('metric_samples');
    await db.query('TRUNCATE metric_samples');
    const insertOnly = (tx: SqlExecutor): SqlExecutor => ({ query: (sql, params) => tx.query(sql, params) });
    await db.transaction((tx) => writeSamples(insertOnly(tx), samples.slice(0, 250)));
    expect(await rowsOf('metric_samples')).toEqual(copied);
    expect(copied).toHaveLength(250);
    expect(new Set(copied.map((row) => row.at.slice(0, 10))).size).toBe(2);
  });

  it('rolls the copied rows back with the transaction that fails after them', async () => {
    await db.query('TRUNCATE metric_samples');
    const sample: MetricSample = {
      edgeId: 'e',
      metric: 'cpu',
      labels: {},
      value: 1,
      at: new Date(NOW).toISOString(),
    };
    await expect(
      db.transaction(async (tx) => {
        await writeSamples(tx, [sample]);
        throw new Error('checkpoint write failed');
      }),
    ).rejects.toThrow('checkpoint write failed');
    expect(await rowsOf('metric_samples')).toEqual([]);
  });
});

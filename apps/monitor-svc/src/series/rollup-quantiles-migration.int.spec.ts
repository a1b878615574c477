import type { TestDatabase } from '@kailash/testing';
import { createTestDatabase } from '@kailash/testing';
import type { QueryRunner } from 'typeorm';
import { RollupQuantiles1796160000000 } from './1796160000000-rollup-quantiles';
import { seriesMigrations } from './migrations';

describe('rollup quantiles migration (real PostgreSQL)', () => {
  let database: TestDatabase;
  let runner: QueryRunner;

  beforeAll(async () => {
    database = await createTestDatabase('monitor_migrate_quantiles');
    runner = {
      query: async (sql: string, params?: unknown[]) => (await database.pool.query(sql, params)).rows,
    } as unknown as QueryRunner;
    for (const Migration of seriesMigrations) await new Migration().up(runner);
  }, 60_000);
  afterAll(() => database?.drop());

  const quantileColumns = async () =>
    (
      await database.pool.query<{ t: string; c: string }>(
        `SELECT table_name AS t, column_name AS c FROM information_schema.columns
          WHERE table_name IN ('metric_rollups_1m', 'metric_rollups_1h') AND column_name LIKE 'p%'
          ORDER BY 1, 2`,
      )
    ).rows.map((row) => `${row.t}.${row.c}`);

  it('adds p50, p95 and p99 to both rollup tables, and takes them away again', async () => {
    expect(await quantileColumns()).toEqual([
      'metric_rollups_1h.p50',
      'metric_rollups_1h.p95',
      'metric_rollups_1h.p99',
      'metric_rollups_1m.p50',
      'metric_rollups_1m.p95',
      'metric_rollups_1m.p99',
    ]);
    await new RollupQuantiles1796160000000().down(runner);
    expect(await quantileColumns()).toEqual([]);
    await new RollupQuantiles1796160000000().up(runner);
    expect(await quantileColumns()).toHaveLength(6);
  });
});

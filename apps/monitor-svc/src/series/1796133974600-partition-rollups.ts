import type { SqlExecutor } from '@kailash/backbone';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createPartitionRange, ROLLUPS_1H, ROLLUPS_1M } from './partitions';
import type { RollupEntry } from './rollup';
import { HOUR_MS, mergeRollup, sortEntries } from './rollup';
import type { StoredRollup } from './rollup-writer';
import { mergeRollupRows, storedRollup } from './rollup-writer';
import { rollupQuantilesDdl, rollupTableDdl } from './schema';

const OLD = 'metric_rollups_1m_unpartitioned';
const PAGE = 5000;

/**
 * Partitions the 1-minute rollups by day (so their retention drops whole partitions) and adds
 * the 1-hour rollups, partitioned by month. Existing 1-minute rows move over; the 1-hour rows
 * are built once from them (merging their sketches), after which both are kept up to date by
 * every write.
 */
export class PartitionRollups1796133974600 implements MigrationInterface {
  name = 'PartitionRollups1796133974600';

  async up(queryRunner: QueryRunner): Promise<void> {
    const db: SqlExecutor = { query: (sql, params) => queryRunner.query(sql, params as unknown[]) };
    await db.query(`ALTER TABLE metric_rollups_1m RENAME TO ${OLD}`);
    await db.query(`ALTER TABLE ${OLD} RENAME CONSTRAINT metric_rollups_1m_pkey TO ${OLD}_pkey`);
    await db.query('DROP INDEX metric_rollups_1m_bucket');
    await db.query(rollupTableDdl('metric_rollups_1m'));
    await db.query(rollupTableDdl('metric_rollups_1h'));
    // The backfill writes through the current rollup writer, which also stores the quantiles.
    await db.query(rollupQuantilesDdl('metric_rollups_1h'));
    const [range] = await db.query<{ lo: Date | null; hi: Date | null }>(
      `SELECT min(bucket) AS lo, max(bucket) AS hi FROM ${OLD}`,
    );
    if (range?.lo && range.hi) {
      const hi = range.hi.getTime() + 1;
      await createPartitionRange(db, ROLLUPS_1M, range.lo.getTime(), hi);
      await createPartitionRange(db, ROLLUPS_1H, range.lo.getTime(), hi);
      await db.query(`INSERT INTO metric_rollups_1m SELECT * FROM ${OLD}`);
      await backfillHourly(db);
    }
    await db.query(`DROP TABLE ${OLD}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE ${OLD} (LIKE metric_rollups_1m INCLUDING ALL)`);
    await queryRunner.query(`INSERT INTO ${OLD} SELECT * FROM metric_rollups_1m`);
    await queryRunner.query('DROP TABLE metric_rollups_1h');
    await queryRunner.query('DROP TABLE metric_rollups_1m');
    await queryRunner.query(`ALTER TABLE ${OLD} RENAME TO metric_rollups_1m`);
    await queryRunner.query('CREATE INDEX metric_rollups_1m_bucket ON metric_rollups_1m (bucket)');
  }
}

/** 1-hour rows from the 1-minute ones, a page at a time in key order; pages merge into what is stored. */
async function backfillHourly(db: SqlExecutor): Promise<void> {
  let after: { id: string; bucket: Date } | undefined;
  for (;;) {
    const rows = await db.query<StoredRollup>(
      `SELECT * FROM ${OLD} WHERE count > 0 AND ($1::bigint IS NULL OR (series_id, bucket) > ($1, $2))
        ORDER BY series_id, bucket LIMIT ${PAGE}`,
      [after?.id ?? null, after?.bucket.toISOString() ?? null],
    );
    if (rows.length === 0) return;
    const hours = new Map<string, RollupEntry>();
    for (const row of rows) {
      const bucketMs = Math.floor(row.bucket.getTime() / HOUR_MS) * HOUR_MS;
      const key = `${row.series_id}/${bucketMs}`;
      const seen = hours.get(key);
      if (seen) mergeRollup(seen.rollup, storedRollup(row));
      else hours.set(key, { seriesId: row.series_id, bucketMs, rollup: storedRollup(row) });
    }
    await mergeRollupRows(db, ROLLUPS_1H, sortEntries([...hours.values()]));
    const last = rows[rows.length - 1] as StoredRollup;
    after = { id: last.series_id, bucket: last.bucket };
  }
}

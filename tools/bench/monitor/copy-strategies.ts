import type { PgDatabase, SqlExecutor } from '@kailash/backbone';
import { canCopy } from '@kailash/backbone';
import { RAW_SAMPLES, tablePartitionName } from '../../../apps/monitor-svc/src/series/partitions';
import type { RawRow } from '../../../apps/monitor-svc/src/series/raw-copy';
import { rawCopyBuffer, rawCopyStatement } from '../../../apps/monitor-svc/src/series/raw-copy';

const copy = async (tx: SqlExecutor, table: string, rows: readonly RawRow[]) => {
  if (!canCopy(tx)) throw new Error('the bench database streams no COPY');
  await tx.copyFrom(rawCopyStatement(table), [rawCopyBuffer(rows)]);
};

/**
 * Ways the ingest could write a transaction's raw rows (9,000 per transaction, as the ingest's
 * pulls), each into the emptied raw table: rows per second, so the write path takes the fastest.
 */
export async function copyStrategies(
  db: PgDatabase,
  nowMs: number,
  transactions: number,
): Promise<Map<string, number>> {
  const partition = tablePartitionName(RAW_SAMPLES, nowMs);
  const ways: [string, (tx: SqlExecutor, rows: readonly RawRow[]) => Promise<unknown>][] = [
    ['binary COPY into the day partition (the write path)', (tx, rows) => copy(tx, partition, rows)],
    [
      'binary COPY into the partitioned parent (tuple routing)',
      (tx, rows) => copy(tx, RAW_SAMPLES.parent, rows),
    ],
    [
      'binary COPY into a temporary staging table, then INSERT … SELECT',
      async (tx, rows) => {
        await tx.query(
          'CREATE TEMP TABLE IF NOT EXISTS raw_staging (series_id bigint, at timestamptz, value float8) ON COMMIT DELETE ROWS',
        );
        await copy(tx, 'raw_staging', rows);
        await tx.query(`INSERT INTO ${partition} SELECT * FROM raw_staging`);
      },
    ],
    [
      'multi-row INSERT (unnest) into the day partition (the write path before)',
      (tx, rows) =>
        tx.query(
          `INSERT INTO ${partition} (series_id, at, value)
           SELECT u.id, to_timestamp(u.ms / 1000), u.value FROM unnest($1::bigint[], $2::float8[], $3::float8[]) AS u(id, ms, value)`,
          [rows.map((r) => r.seriesId), rows.map((r) => r.atMs), rows.map((r) => r.value)],
        ),
    ],
  ];
  const batches = Array.from({ length: transactions }, (_, b) =>
    Array.from({ length: 9000 }, (_, i) => ({
      seriesId: 1 + (i % 900),
      atMs: nowMs - 3_600_000 + b * 10_000 + Math.floor(i / 900) * 1000,
      value: Math.sin(i + b),
    })),
  );
  const rates = new Map<string, number>();
  for (const [name, write] of ways) {
    await db.query(`TRUNCATE ${RAW_SAMPLES.parent}`);
    const started = process.hrtime.bigint();
    for (const rows of batches) await db.transaction((tx) => write(tx, rows));
    rates.set(name, (transactions * 9000) / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  await db.query(`TRUNCATE ${RAW_SAMPLES.parent}`);
  return rates;
}

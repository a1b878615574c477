import type { SqlExecutor } from '@kailash/backbone';
import type { PartitionedTable } from './partitions';
import { tablePartitionName } from './partitions';
import type { Rollup, RollupEntry } from './rollup';
import { mergeRollup } from './rollup';
import { QUANTILES } from './resolution';
import { ROLLUP_QUANTILE_COLUMNS } from './schema';
import { sketchFromBytes, sketchToBytes } from './sketch';

export interface StoredRollup {
  readonly series_id: string;
  readonly bucket: Date;
  readonly count: string;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly last: number;
  readonly last_at: Date;
  readonly sketch: Buffer;
}

export function storedRollup(row: StoredRollup): Rollup {
  return {
    count: Number(row.count),
    sum: row.sum,
    min: row.min,
    max: row.max,
    last: row.last,
    lastAtMs: row.last_at.getTime(),
    sketch: sketchFromBytes(row.sketch),
  };
}

const keyOf = (seriesId: string, bucketMs: number) => `${seriesId}/${bucketMs}`;

/**
 * Merges `entries` (sorted by series, then bucket) into the stored rows of a rollup table in the
 * caller's transaction, one partition at a time in name order. Each statement names the
 * partition itself: a join against the parent cannot be pruned at plan time and probes every
 * partition's index. Lock order is thus (partition, series, bucket) for every writer.
 */
export async function mergeRollupRows(
  tx: SqlExecutor,
  table: PartitionedTable,
  entries: readonly RollupEntry[],
  options: { readonly likelyNew?: boolean } = {},
): Promise<void> {
  const byPartition = new Map<string, RollupEntry[]>();
  for (const entry of entries) {
    const name = tablePartitionName(table, entry.bucketMs);
    const list = byPartition.get(name);
    if (list) list.push(entry);
    else byPartition.set(name, [entry]);
  }
  for (const name of [...byPartition.keys()].sort()) {
    const list = byPartition.get(name) as RollupEntry[];
    if (options.likelyNew) await insertOrMerge(tx, name, list);
    else await mergeIntoPartition(tx, name, list);
  }
}

/**
 * The stored rows are locked in entry order and updated with the merge; the missing ones are
 * inserted with their final values in one statement. A row another writer inserted meanwhile is
 * merged on a second pass, never overwritten.
 */
async function mergeIntoPartition(
  tx: SqlExecutor,
  table: string,
  entries: readonly RollupEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const stored = await tx.query<StoredRollup>(
    `SELECT r.series_id, r.bucket, r.count, r.sum, r.min, r.max, r.last, r.last_at, r.sketch
       FROM ${table} r JOIN unnest($1::bigint[], $2::timestamptz[]) AS k(id, bucket)
         ON r.series_id = k.id AND r.bucket = k.bucket
      ORDER BY r.series_id, r.bucket FOR UPDATE OF r`,
    [entries.map((e) => e.seriesId), entries.map((e) => new Date(e.bucketMs).toISOString())],
  );
  const storedByKey = new Map(stored.map((row) => [keyOf(row.series_id, row.bucket.getTime()), row]));
  const updates: RollupEntry[] = [];
  const inserts: RollupEntry[] = [];
  for (const entry of entries) {
    const row = storedByKey.get(keyOf(entry.seriesId, entry.bucketMs));
    if (row) updates.push({ ...entry, rollup: mergeRollup(storedRollup(row), entry.rollup) });
    else inserts.push(entry);
  }
  if (updates.length > 0) await writeRows(tx, updateSql(table), updates);
  await insertOrMerge(tx, table, inserts);
}

/**
 * Inserts the rows; those already stored (inserted by another writer meanwhile, or before) are
 * merged on a second pass, never overwritten. Rows known to be new (the materialiser's minutes
 * past the watermark) need no lookup first.
 */
async function insertOrMerge(tx: SqlExecutor, table: string, inserts: readonly RollupEntry[]): Promise<void> {
  if (inserts.length === 0) return;
  const inserted = await writeRows<{ series_id: string; bucket: Date }>(tx, insertSql(table), inserts);
  const done = new Set(inserted.map((row) => keyOf(row.series_id, row.bucket.getTime())));
  const raced = inserts.filter((entry) => !done.has(keyOf(entry.seriesId, entry.bucketMs)));
  if (raced.length > 0) await mergeIntoPartition(tx, table, raced);
}

const ROW_COLUMNS = `unnest($1::bigint[], $2::timestamptz[], $3::bigint[], $4::float8[], $5::float8[],
                   $6::float8[], $7::float8[], $8::timestamptz[], $9::bytea[], $10::float8[], $11::float8[], $12::float8[])
         AS u(id, bucket, count, sum, min, max, last, last_at, sketch, p50, p95, p99)`;

function updateSql(table: string): string {
  return `UPDATE ${table} r SET count = u.count, sum = u.sum, min = u.min, max = u.max,
            last = u.last, last_at = u.last_at, sketch = u.sketch, p50 = u.p50, p95 = u.p95, p99 = u.p99
       FROM ${ROW_COLUMNS}
      WHERE r.series_id = u.id AND r.bucket = u.bucket`;
}

function insertSql(table: string): string {
  return `INSERT INTO ${table} (series_id, bucket, count, sum, min, max, last, last_at, sketch, p50, p95, p99)
     SELECT * FROM ${ROW_COLUMNS}
     ON CONFLICT (series_id, bucket) DO NOTHING RETURNING series_id, bucket`;
}

function writeRows<Row>(tx: SqlExecutor, sql: string, entries: readonly RollupEntry[]): Promise<Row[]> {
  return tx.query<Row>(sql, [
    entries.map((e) => e.seriesId),
    entries.map((e) => new Date(e.bucketMs).toISOString()),
    entries.map((e) => e.rollup.count),
    entries.map((e) => e.rollup.sum),
    entries.map((e) => e.rollup.min),
    entries.map((e) => e.rollup.max),
    entries.map((e) => e.rollup.last),
    entries.map((e) => new Date(e.rollup.lastAtMs).toISOString()),
    entries.map((e) => sketchToBytes(e.rollup.sketch)),
    ...ROLLUP_QUANTILE_COLUMNS.map((column) =>
      entries.map((e) => e.rollup.sketch.getValueAtQuantile(QUANTILES[column] as number)),
    ),
  ]);
}

import type { SqlExecutor } from '@kailash/backbone';

/**
 * How far the rollup materialiser has folded raw samples into the rollups: every sample with
 * `at` before `materialised_to` is in both rollup tables, none at or after it is. One row.
 */
export const WATERMARK_TABLE = 'metric_rollup_watermark';

export const WATERMARK_DDL = [
  `CREATE TABLE ${WATERMARK_TABLE} (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    materialised_to timestamptz NOT NULL
  )`,
] as const;

/**
 * The watermark as an SQL expression: a reader of `metric_rollups_1m` that must see only
 * complete buckets bounds `bucket` below it (`bucket < least(…, MATERIALISED_TO_SQL)`).
 */
export const MATERIALISED_TO_SQL = `(SELECT materialised_to FROM ${WATERMARK_TABLE})`;

/** A fresh database has materialised nothing yet. */
export const WATERMARK_SEED = `INSERT INTO ${WATERMARK_TABLE} (materialised_to) VALUES ('-infinity')`;

/** Finished 1-minute buckets are those starting before this (ms); -Infinity when none is. */
export async function rollupWatermark(db: SqlExecutor): Promise<number> {
  const [row] = await db.query<{ ms: number | null }>(
    `SELECT extract(epoch FROM materialised_to) * 1000 AS ms FROM ${WATERMARK_TABLE}`,
  );
  return toMs(row?.ms);
}

/**
 * The watermark, share-locked for the caller's transaction: while a writer holds it, the
 * materialiser cannot move it, so a sample the writer leaves to the materialiser (at or after
 * it) is committed before the materialiser reads that range.
 */
export async function shareWatermark(tx: SqlExecutor): Promise<number> {
  const [row] = await tx.query<{ ms: number | null }>(
    `SELECT extract(epoch FROM materialised_to) * 1000 AS ms FROM ${WATERMARK_TABLE} FOR SHARE`,
  );
  return toMs(row?.ms);
}

/** The watermark, locked against writers until the caller's transaction ends. */
export async function lockWatermark(tx: SqlExecutor): Promise<number> {
  const [row] = await tx.query<{ ms: number | null }>(
    `SELECT extract(epoch FROM materialised_to) * 1000 AS ms FROM ${WATERMARK_TABLE} FOR UPDATE`,
  );
  return toMs(row?.ms);
}

export async function advanceWatermark(tx: SqlExecutor, toMs: number): Promise<void> {
  await tx.query(`UPDATE ${WATERMARK_TABLE} SET materialised_to = $1`, [new Date(toMs).toISOString()]);
}

function toMs(value: number | string | null | undefined): number {
  if (value === null || value === undefined) return -Infinity;
  const ms = Number(value);
  return Number.isFinite(ms) ? ms : -Infinity;
}

import type { SqlExecutor } from '@kailash/backbone';

export const DAY_MS = 24 * 3600_000;

export interface PartitionPolicy {
  /** Raw samples older than this are dropped, a whole day's partition at a time. */
  readonly retentionMs: number;
  /** 1-minute rollups older than this are deleted (they outlive the raw samples they summarise). */
  readonly rollupRetentionMs: number;
  /** Days of partitions kept created ahead of now, so ingest never waits for DDL. */
  readonly daysAhead: number;
}

export const DEFAULT_PARTITION_POLICY: PartitionPolicy = {
  retentionMs: 7 * DAY_MS,
  rollupRetentionMs: 30 * DAY_MS,
  daysAhead: 2,
};

const PREFIX = 'metric_samples_p';

/** The partition holding `ms`: one per UTC day, named by its date. */
export function partitionName(ms: number): string {
  return `${PREFIX}${new Date(dayStart(ms)).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Samples outside [now - retention, end of the last partition created ahead) are not stored. */
export function keptWindow(policy: PartitionPolicy, nowMs: number): { fromMs: number; toMs: number } {
  return { fromMs: nowMs - policy.retentionMs, toMs: dayStart(nowMs) + (policy.daysAhead + 1) * DAY_MS };
}

/** Creates the partitions from the retention cut-off through `daysAhead`; existing ones are kept. */
export async function createPartitions(
  db: SqlExecutor,
  policy: PartitionPolicy,
  nowMs: number,
): Promise<string[]> {
  const { fromMs, toMs } = keptWindow(policy, nowMs);
  const created: string[] = [];
  for (let day = dayStart(fromMs); day < toMs; day += DAY_MS) {
    const name = partitionName(day);
    const from = new Date(day).toISOString();
    const to = new Date(day + DAY_MS).toISOString();
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF metric_samples FOR VALUES FROM ('${from}') TO ('${to}')`,
    );
    created.push(name);
  }
  return created;
}

/** The day partitions that exist, oldest first. */
export async function listPartitions(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'metric_samples' ORDER BY c.relname`,
  );
  return rows.map((row) => row.name).filter((name) => /^metric_samples_p\d{8}$/.test(name));
}

/** Drops every partition whose whole day lies before the retention cut-off; returns their names. */
export async function dropExpiredPartitions(
  db: SqlExecutor,
  policy: PartitionPolicy,
  nowMs: number,
): Promise<string[]> {
  const cutoff = nowMs - policy.retentionMs;
  const dropped: string[] = [];
  for (const name of await listPartitions(db)) {
    const digits = name.slice(PREFIX.length);
    const start = Date.parse(`${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}T00:00:00Z`);
    if (start + DAY_MS > cutoff) continue;
    await db.query(`DROP TABLE ${name}`);
    dropped.push(name);
  }
  return dropped;
}

/**
 * Deletes 1-minute rollups past their retention; returns how many. Rollups are few (one row per
 * series and minute), so a DELETE by the bucket index is cheap next to the raw partitions.
 */
export async function deleteExpiredRollups(
  db: SqlExecutor,
  policy: PartitionPolicy,
  nowMs: number,
): Promise<number> {
  const rows = await db.query<{ n: string }>(
    `WITH gone AS (DELETE FROM metric_rollups_1m WHERE bucket < $1::timestamptz RETURNING 1)
     SELECT count(*) AS n FROM gone`,
    [new Date(nowMs - policy.rollupRetentionMs).toISOString()],
  );
  return Number(rows[0]?.n ?? 0);
}

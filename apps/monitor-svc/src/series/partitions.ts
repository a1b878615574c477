import type { SqlExecutor } from '@kailash/backbone';

export const DAY_MS = 24 * 3600_000;

export interface PartitionPolicy {
  /** Raw samples older than this are dropped, a whole day's partition at a time. */
  readonly retentionMs: number;
  /** 1-minute rollups older than this are dropped, a whole day's partition at a time. */
  readonly rollupRetentionMs: number;
  /** 1-hour rollups older than this are dropped, a whole month's partition at a time. */
  readonly hourlyRetentionMs: number;
  /** Days of partitions kept created ahead of now, so ingest never waits for DDL. */
  readonly daysAhead: number;
}

export const DEFAULT_PARTITION_POLICY: PartitionPolicy = {
  retentionMs: 7 * DAY_MS,
  rollupRetentionMs: 30 * DAY_MS,
  hourlyRetentionMs: 365 * DAY_MS,
  daysAhead: 2,
};

/** A table range-partitioned by time, one partition per UTC day or month, named by its start. */
export interface PartitionedTable {
  readonly parent: string;
  readonly prefix: string;
  readonly period: 'day' | 'month';
  readonly retention: (policy: PartitionPolicy) => number;
  /**
   * Space left free in each page: a rollup row is rewritten by every batch that touches its
   * bucket, and a rewrite that fits in its page is a HOT update (no index entry, less WAL).
   */
  readonly fillfactor?: number;
}

export const RAW_SAMPLES: PartitionedTable = {
  parent: 'metric_samples',
  prefix: 'metric_samples_p',
  period: 'day',
  retention: (policy) => policy.retentionMs,
};
export const ROLLUPS_1M: PartitionedTable = {
  parent: 'metric_rollups_1m',
  prefix: 'metric_rollups_1m_p',
  period: 'day',
  retention: (policy) => policy.rollupRetentionMs,
  fillfactor: 70,
};
export const ROLLUPS_1H: PartitionedTable = {
  parent: 'metric_rollups_1h',
  prefix: 'metric_rollups_1h_p',
  period: 'month',
  retention: (policy) => policy.hourlyRetentionMs,
  fillfactor: 50,
};
export const PARTITIONED_TABLES = [RAW_SAMPLES, ROLLUPS_1M, ROLLUPS_1H] as const;

export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function periodStart(table: PartitionedTable, ms: number): number {
  if (table.period === 'day') return dayStart(ms);
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function periodEnd(table: PartitionedTable, ms: number): number {
  if (table.period === 'day') return dayStart(ms) + DAY_MS;
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** The partition of `table` holding `ms`, e.g. metric_samples_p20261201 or metric_rollups_1h_p202612. */
export function tablePartitionName(table: PartitionedTable, ms: number): string {
  const digits = new Date(periodStart(table, ms)).toISOString().slice(0, 10).replaceAll('-', '');
  return `${table.prefix}${table.period === 'day' ? digits : digits.slice(0, 6)}`;
}

/** The raw partition holding `ms`: one per UTC day, named by its date. */
export function partitionName(ms: number): string {
  return tablePartitionName(RAW_SAMPLES, ms);
}

function startOfPartition(table: PartitionedTable, name: string): number {
  const digits = name.slice(table.prefix.length);
  const day = table.period === 'day' ? digits.slice(6, 8) : '01';
  return Date.parse(`${digits.slice(0, 4)}-${digits.slice(4, 6)}-${day}T00:00:00Z`);
}

/** Samples outside [now - retention, end of the last partition created ahead) are not stored. */
export function keptWindow(policy: PartitionPolicy, nowMs: number): { fromMs: number; toMs: number } {
  return { fromMs: nowMs - policy.retentionMs, toMs: dayStart(nowMs) + (policy.daysAhead + 1) * DAY_MS };
}

/** Creates the partitions of `table` covering [fromMs, toMs); existing ones are kept. */
export async function createPartitionRange(
  db: SqlExecutor,
  table: PartitionedTable,
  fromMs: number,
  toMs: number,
): Promise<string[]> {
  const created: string[] = [];
  for (let start = periodStart(table, fromMs); start < toMs; start = periodEnd(table, start)) {
    const name = tablePartitionName(table, start);
    const from = new Date(start).toISOString();
    const to = new Date(periodEnd(table, start)).toISOString();
    const storage = table.fillfactor ? ` WITH (fillfactor = ${table.fillfactor})` : '';
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${table.parent} FOR VALUES FROM ('${from}') TO ('${to}')${storage}`,
    );
    created.push(name);
  }
  return created;
}

/**
 * Creates the partitions of the raw and both rollup tables from each one's retention cut-off
 * through `daysAhead`; existing ones are kept.
 */
export async function createPartitions(
  db: SqlExecutor,
  policy: PartitionPolicy,
  nowMs: number,
): Promise<string[]> {
  const { toMs } = keptWindow(policy, nowMs);
  const created: string[] = [];
  for (const table of PARTITIONED_TABLES)
    created.push(...(await createPartitionRange(db, table, nowMs - table.retention(policy), toMs)));
  return created;
}

/** The time partitions of `table` that exist, oldest first. */
export async function listTablePartitions(db: SqlExecutor, table: PartitionedTable): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = $1 ORDER BY c.relname`,
    [table.parent],
  );
  const pattern = new RegExp(`^${table.prefix}\\d{${table.period === 'day' ? 8 : 6}}$`);
  return rows.map((row) => row.name).filter((name) => pattern.test(name));
}

/** The raw day partitions that exist, oldest first. */
export function listPartitions(db: SqlExecutor): Promise<string[]> {
  return listTablePartitions(db, RAW_SAMPLES);
}

/** Drops every partition of `table` whose whole period lies before its retention cut-off. */
async function dropExpired(
  db: SqlExecutor,
  table: PartitionedTable,
  policy: PartitionPolicy,
  nowMs: number,
): Promise<string[]> {
  const cutoff = nowMs - table.retention(policy);
  const dropped: string[] = [];
  for (const name of await listTablePartitions(db, table)) {
    if (periodEnd(table, startOfPartition(table, name)) > cutoff) continue;
    await db.query(`DROP TABLE ${name}`);
    dropped.push(name);
  }
  return dropped;
}

/** Drops every raw partition whose whole day lies before the retention cut-off; returns their names. */
export function dropExpiredPartitions(
  db: SqlExecutor,
  policy: PartitionPolicy,
  nowMs: number,
): Promise<string[]> {
  return dropExpired(db, RAW_SAMPLES, policy, nowMs);
}

/**
 * Drops the 1-minute (daily) and 1-hour (monthly) rollup partitions whose whole period is past
 * their retention. Rollups are never deleted row by row, so retention leaves no vacuum debt.
 */
export async function dropExpiredRollupPartitions(
  db: SqlExecutor,
  policy: PartitionPolicy,
  nowMs: number,
): Promise<string[]> {
  return [
    ...(await dropExpired(db, ROLLUPS_1M, policy, nowMs)),
    ...(await dropExpired(db, ROLLUPS_1H, policy, nowMs)),
  ];
}

import type { SqlExecutor } from '@kailash/backbone';
import type { MetricQueryAggregation, MetricResolution } from '@kailash/contracts';
import { QUANTILES, RESOLUTION_SOURCE, ROLLUP_WIDTH_MS } from './resolution';
import { ROLLUP_QUANTILE_COLUMNS } from './schema';
import { quantileOfBytes, sketchFromBytes } from './sketch';

/** Which series: a condition over `s` (metric_series) with its parameters ($1…). */
export interface Selection {
  readonly where: string;
  readonly params: readonly unknown[];
}

/** Buckets of `stepMs` from `fromMs` up to `toMs` (exclusive); a bucket holds what starts in it. */
export interface Bucketing {
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepMs: number;
}

/** A column of `s` the answer is grouped by: one value per group and bucket. */
export type GroupColumn = 's.id' | 's.edge_id' | 's.metric';

export interface GroupRow {
  readonly g: string;
  readonly k: number;
  readonly value: number;
}

const ROLLUP_AGGREGATE: Record<string, string> = {
  avg: 'sum(x.sum) / sum(x.count)',
  min: 'min(x.min)',
  max: 'max(x.max)',
  sum: 'sum(x.sum)',
  count: 'sum(x.count)::float8',
};

/** The same values when a bucket is one rollup row: no grouping, no sort in the database. */
const ROLLUP_ROW: Record<string, string> = {
  avg: 'x.sum / x.count::float8',
  min: 'x.min',
  max: 'x.max',
  sum: 'x.sum',
  count: 'x.count::float8',
};

function rawAggregate(aggregation: MetricQueryAggregation): string {
  const quantile = QUANTILES[aggregation];
  if (quantile !== undefined) return `percentile_disc(${quantile}) WITHIN GROUP (ORDER BY x.value)`;
  return aggregation === 'count' ? 'count(*)::float8' : `${aggregation}(x.value)`;
}

/** Placeholders of the bucketing after the selection's own: from, to, fromMs, stepMs. */
function windowParams(selection: Selection, bucketing: Bucketing) {
  const n = selection.params.length;
  return {
    from: `$${n + 1}::timestamptz`,
    to: `$${n + 2}::timestamptz`,
    k: (time: string) =>
      `floor((extract(epoch FROM ${time}) * 1000 - $${n + 3}::float8) / $${n + 4}::float8)::bigint`,
    step: `$${n + 4}::float8`,
    params: [
      ...selection.params,
      new Date(bucketing.fromMs).toISOString(),
      new Date(bucketing.toMs).toISOString(),
      bucketing.fromMs,
      bucketing.stepMs,
    ],
  };
}

/**
 * One value per group and non-empty bucket, from raw samples or a rollup table. Averages and
 * counts from rollups add sums and counts, so they equal the raw answer; quantiles merge the
 * rollups' sketches; rate is `rateRows`.
 */
export async function aggregateRows(
  db: SqlExecutor,
  resolution: MetricResolution,
  aggregation: MetricQueryAggregation,
  selection: Selection,
  bucketing: Bucketing,
  group: GroupColumn,
): Promise<GroupRow[]> {
  if (aggregation === 'rate') return rateRows(db, resolution, selection, bucketing, group);
  const { table, time, present } = RESOLUTION_SOURCE[resolution];
  const w = windowParams(selection, bucketing);
  const from = `FROM ${table} x JOIN metric_series s ON s.id = x.series_id
      WHERE ${selection.where} AND ${present} AND ${time} >= ${w.from} AND ${time} < ${w.to}`;
  const keyed = `${w.k(time)} AS k ${from}`;
  const quantile = QUANTILES[aggregation];
  // One series per group at the rollup's own step: each point is one stored row, read as it is.
  if (resolution !== 'raw' && group === 's.id' && bucketing.stepMs === ROLLUP_WIDTH_MS[resolution])
    return quantile === undefined
      ? valueRows(db, `SELECT s.id AS g, ${ROLLUP_ROW[aggregation]} AS value, ${keyed}`, w.params)
      : storedQuantiles(db, aggregation as StoredQuantile, quantile, keyed, w.params);
  if (resolution !== 'raw' && quantile !== undefined) {
    const rows = await db.query<{ g: string; k: string; sketch: Buffer }>(
      `SELECT ${group} AS g, x.sketch, ${keyed}`,
      w.params,
    );
    return mergeSketches(rows, quantile);
  }
  const expression = resolution === 'raw' ? rawAggregate(aggregation) : ROLLUP_AGGREGATE[aggregation];
  return valueRows(
    db,
    `SELECT ${group} AS g, ${expression} AS value, ${keyed} GROUP BY 1, 3 ORDER BY 1, 3`,
    w.params,
  );
}

async function valueRows(db: SqlExecutor, sql: string, params: readonly unknown[]): Promise<GroupRow[]> {
  const rows = await db.query<{ g: string; k: string; value: number }>(sql, params);
  return rows.map((row) => ({ g: String(row.g), k: Number(row.k), value: row.value }));
}

type StoredQuantile = (typeof ROLLUP_QUANTILE_COLUMNS)[number];

/**
 * A query of single series at the rollup's own step: one row per point, whose stored quantile is
 * the answer (its sketch is read only for a row written before rollups stored them).
 */
async function storedQuantiles(
  db: SqlExecutor,
  column: StoredQuantile,
  quantile: number,
  keyAndFrom: string,
  params: readonly unknown[],
): Promise<GroupRow[]> {
  const rows = await db.query<{ g: string; k: string; q: number | null; sketch: Buffer | null }>(
    `SELECT s.id AS g, x.${column} AS q, CASE WHEN x.${column} IS NULL THEN x.sketch END AS sketch, ${keyAndFrom}`,
    params,
  );
  return rows.map((row) => ({
    g: String(row.g),
    k: Number(row.k),
    value: row.q ?? quantileOfBytes(row.sketch as Buffer, quantile),
  }));
}

/**
 * One quantile per group and bucket: a bucket of one stored sketch (a query at the rollup's own
 * step) is answered from its bytes; several are merged into one sketch first.
 */
function mergeSketches(
  rows: readonly { g: string; k: string; sketch: Buffer }[],
  quantile: number,
): GroupRow[] {
  const grouped = new Map<string, { g: string; k: number; sketches: Buffer[] }>();
  for (const row of rows) {
    const key = `${row.g}/${row.k}`;
    const seen = grouped.get(key);
    if (seen) seen.sketches.push(row.sketch);
    else grouped.set(key, { g: String(row.g), k: Number(row.k), sketches: [row.sketch] });
  }
  return [...grouped.values()].map(({ g, k, sketches }) => ({ g, k, value: quantileOf(sketches, quantile) }));
}

function quantileOf(sketches: readonly Buffer[], quantile: number): number {
  const [first, ...rest] = sketches as [Buffer, ...Buffer[]];
  if (rest.length === 0) return quantileOfBytes(first, quantile);
  const merged = sketchFromBytes(first);
  for (const bytes of rest) merged.merge(sketchFromBytes(bytes));
  return merged.getValueAtQuantile(quantile);
}

/**
 * Per-second increase of a counter per bucket: the sum of the rises between consecutive
 * samples whose later one is in the bucket (the sample before the range counts as the first
 * one's predecessor), over the step in seconds. A fall is a counter reset: the new value is the
 * increase since it. Rollups see the counter at each bucket's last sample.
 */
async function rateRows(
  db: SqlExecutor,
  resolution: MetricResolution,
  selection: Selection,
  bucketing: Bucketing,
  group: GroupColumn,
): Promise<GroupRow[]> {
  const { table, time, present } = RESOLUTION_SOURCE[resolution];
  const value = resolution === 'raw' ? 'x.value' : 'x.last';
  const w = windowParams(selection, bucketing);
  const rows = await db.query<{ g: string; k: string; value: number }>(
    `WITH sel AS (SELECT s.id, ${group} AS g FROM metric_series s WHERE ${selection.where}),
     pts AS (
       SELECT x.series_id, ${time} AS t, ${value} AS v FROM ${table} x JOIN sel ON sel.id = x.series_id
        WHERE ${present} AND ${time} >= ${w.from} AND ${time} < ${w.to}
       UNION ALL
       SELECT sel.id, p.t, p.v FROM sel CROSS JOIN LATERAL (
         SELECT ${time} AS t, ${value} AS v FROM ${table} x
          WHERE x.series_id = sel.id AND ${present} AND ${time} < ${w.from} ORDER BY ${time} DESC LIMIT 1) p
     ),
     d AS (SELECT series_id, t, v, lag(v) OVER (PARTITION BY series_id ORDER BY t) AS prev FROM pts)
     SELECT sel.g, ${w.k('d.t')} AS k,
            sum(CASE WHEN d.prev IS NULL THEN 0 WHEN d.v >= d.prev THEN d.v - d.prev ELSE d.v END)
              / (${w.step} / 1000) AS value
       FROM d JOIN sel ON sel.id = d.series_id WHERE d.t >= ${w.from} GROUP BY 1, 2 ORDER BY 1, 2`,
    w.params,
  );
  return rows.map((row) => ({ g: String(row.g), k: Number(row.k), value: row.value }));
}

import type { SqlExecutor } from '@kailash/backbone';
import type {
  MetricAggregation,
  MetricQuery,
  MetricQueryResult,
  LatestMetricRequest,
  LatestMetricResult,
} from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import type { Rollup } from './rollup';
import { MINUTE_MS, mergeRollup } from './rollup';
import type { StoredRollup } from './sample-writer';
import { storedRollup } from './sample-writer';

const QUANTILES: Partial<Record<MetricAggregation, number>> = { p50: 0.5, p95: 0.95, p99: 0.99 };

/** Rollups answer a query whose buckets are whole minutes from a minute boundary; anything finer reads raw. */
export function chooseSource(query: MetricQuery): 'raw' | 'rollup' {
  const aligned = query.stepMs % MINUTE_MS === 0 && Date.parse(query.from) % MINUTE_MS === 0;
  if (query.source === 'rollup' && !aligned) {
    throw new KailashError(
      'VALIDATION_FAILED',
      'invalid query: stepMs: rollups need whole minutes and from on a minute boundary',
      { issues: [{ field: 'stepMs', message: 'rollups need whole minutes and from on a minute boundary' }] },
    );
  }
  if (query.source === 'raw') return 'raw';
  return aligned ? 'rollup' : 'raw';
}

export async function queryMetrics(db: SqlExecutor, query: MetricQuery): Promise<MetricQueryResult> {
  const source = chooseSource(query);
  return { source, series: source === 'raw' ? await fromRaw(db, query) : await fromRollups(db, query) };
}

interface SeriesRow {
  readonly series_id: string;
  readonly edge_id: string;
  readonly metric: string;
  readonly labels: Record<string, string>;
}

const SERIES_FILTER = `s.metric = $1 AND ($2::text IS NULL OR s.edge_id = $2) AND s.labels @> $3::jsonb`;

function filterParams(query: MetricQuery): unknown[] {
  return [query.metric, query.edgeId ?? null, JSON.stringify(query.labels ?? {})];
}

function rawAggregate(aggregation: MetricAggregation): string {
  const quantile = QUANTILES[aggregation];
  if (quantile !== undefined) return `percentile_disc(${quantile}) WITHIN GROUP (ORDER BY m.value)`;
  return aggregation === 'count' ? 'count(*)::float8' : `${aggregation}(m.value)`;
}

async function fromRaw(db: SqlExecutor, query: MetricQuery): Promise<MetricQueryResult['series']> {
  const fromMs = Date.parse(query.from);
  const rows = await db.query<SeriesRow & { k: string; value: number }>(
    `SELECT s.id AS series_id, s.edge_id, s.metric, s.labels,
            floor((extract(epoch FROM m.at) * 1000 - $4::float8) / $6::float8)::bigint AS k, ${rawAggregate(query.aggregation)} AS value
       FROM metric_samples m JOIN metric_series s ON s.id = m.series_id
      WHERE ${SERIES_FILTER} AND m.at >= $7::timestamptz AND m.at < $5::timestamptz
      GROUP BY s.id, k ORDER BY s.id, k`,
    [...filterParams(query), fromMs, query.to, query.stepMs, query.from],
  );
  return groupSeries(
    rows.map((row) => ({ series: row, at: bucketAt(fromMs, query.stepMs, Number(row.k)), value: row.value })),
  );
}

async function fromRollups(db: SqlExecutor, query: MetricQuery): Promise<MetricQueryResult['series']> {
  const fromMs = Date.parse(query.from);
  const rows = await db.query<SeriesRow & StoredRollup>(
    `SELECT s.id AS series_id, s.edge_id, s.metric, s.labels, r.bucket, r.count, r.sum, r.min, r.max,
            r.last, r.last_at, r.sketch
       FROM metric_rollups_1m r JOIN metric_series s ON s.id = r.series_id
      WHERE ${SERIES_FILTER} AND r.count > 0 AND r.bucket >= $4::timestamptz AND r.bucket < $5::timestamptz
      ORDER BY s.id, r.bucket`,
    [...filterParams(query), query.from, query.to],
  );
  const merged = new Map<string, { row: SeriesRow; k: number; rollup: Rollup }>();
  for (const row of rows) {
    const k = Math.floor((row.bucket.getTime() - fromMs) / query.stepMs);
    const key = `${row.series_id}/${k}`;
    const seen = merged.get(key);
    if (seen) mergeRollup(seen.rollup, storedRollup(row));
    else merged.set(key, { row, k, rollup: storedRollup(row) });
  }
  return groupSeries(
    [...merged.values()].map(({ row, k, rollup }) => ({
      series: row,
      at: bucketAt(fromMs, query.stepMs, k),
      value: aggregateRollup(rollup, query.aggregation),
    })),
  );
}

export function aggregateRollup(rollup: Rollup, aggregation: MetricAggregation): number {
  const quantile = QUANTILES[aggregation];
  if (quantile !== undefined) return rollup.sketch.getValueAtQuantile(quantile);
  switch (aggregation) {
    case 'avg':
      return rollup.sum / rollup.count;
    case 'count':
      return rollup.count;
    default:
      return rollup[aggregation as 'min' | 'max' | 'sum'];
  }
}

function bucketAt(fromMs: number, stepMs: number, k: number): string {
  return new Date(fromMs + k * stepMs).toISOString();
}

/** One entry per series (in first-seen order) with its points in bucket order. */
function groupSeries(
  points: readonly { series: SeriesRow; at: string; value: number }[],
): MetricQueryResult['series'] {
  const out = new Map<string, MetricQueryResult['series'][number]>();
  for (const { series, at, value } of points) {
    let entry = out.get(series.series_id);
    if (!entry) {
      entry = { edgeId: series.edge_id, metric: series.metric, labels: series.labels, points: [] };
      out.set(series.series_id, entry);
    }
    entry.points.push({ at, value });
  }
  for (const entry of out.values()) entry.points.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return [...out.values()];
}

/** Each matching series' latest sample (at most 1,000 series, ordered by edge). */
export async function latestMetric(
  db: SqlExecutor,
  request: LatestMetricRequest,
): Promise<LatestMetricResult> {
  const rows = await db.query<{
    edge_id: string;
    metric: string;
    labels: Record<string, string>;
    last_at: Date;
    last_value: number;
  }>(
    `SELECT edge_id, metric, labels, last_at, last_value FROM metric_series
      WHERE metric = $1 AND ($2::text IS NULL OR edge_id = $2) AND last_at IS NOT NULL
      ORDER BY edge_id, labels_key LIMIT 1000`,
    [request.metric, request.edgeId ?? null],
  );
  return {
    series: rows.map((row) => ({
      edgeId: row.edge_id,
      metric: row.metric,
      labels: row.labels,
      at: row.last_at.toISOString(),
      value: row.last_value,
    })),
  };
}

import type { SqlExecutor } from '@kailash/backbone';
import type {
  LatestMetricRequest,
  LatestMetricResult,
  MetricAggregation,
  MetricQuery,
  MetricQueryResult,
} from '@kailash/contracts';
import type { Selection } from './aggregate';
import { aggregateRows } from './aggregate';
import type { QueryContext } from './resolution';
import { chooseResolution, defaultQueryContext, QUANTILES } from './resolution';
import type { Rollup } from './rollup';

/** Series of one metric, optionally of one edge, whose labels include the given ones. */
export function seriesSelection(query: {
  readonly metric: string;
  readonly edgeId?: string;
  readonly labels?: Record<string, string>;
}): Selection {
  return {
    where: `s.metric = $1 AND ($2::text IS NULL OR s.edge_id = $2) AND s.labels @> $3::jsonb`,
    params: [query.metric, query.edgeId ?? null, JSON.stringify(query.labels ?? {})],
  };
}

/** The range query (the original's `query_metrics`): one point per series and non-empty bucket. */
export async function queryMetrics(
  db: SqlExecutor,
  query: MetricQuery,
  context: QueryContext = defaultQueryContext(),
): Promise<MetricQueryResult> {
  const resolution = chooseResolution(query, context);
  const fromMs = Date.parse(query.from);
  const rows = await aggregateRows(
    db,
    resolution,
    query.aggregation,
    seriesSelection(query),
    { fromMs, toMs: Date.parse(query.to), stepMs: query.stepMs },
    's.id',
  );
  const ids = [...new Set(rows.map((row) => row.g))];
  const meta = await db.query<{
    id: string;
    edge_id: string;
    metric: string;
    labels: Record<string, string>;
  }>('SELECT id, edge_id, metric, labels FROM metric_series WHERE id = ANY($1::bigint[])', [ids]);
  const byId = new Map(meta.map((row) => [String(row.id), row]));
  const series = new Map<string, MetricQueryResult['series'][number]>();
  for (const id of ids.sort((a, b) => Number(a) - Number(b))) {
    const row = byId.get(id);
    if (row) series.set(id, { edgeId: row.edge_id, metric: row.metric, labels: row.labels, points: [] });
  }
  // Bucket numbers order the points; sorting the formatted times would parse each one again.
  for (const row of [...rows].sort((a, b) => a.k - b.k))
    series
      .get(row.g)
      ?.points.push({ at: new Date(fromMs + row.k * query.stepMs).toISOString(), value: row.value });
  return { source: resolution === 'raw' ? 'raw' : 'rollup', resolution, series: [...series.values()] };
}

/** The value one merged rollup gives for an aggregation (rate needs a sequence, so it is not one). */
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

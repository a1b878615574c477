import type { SqlExecutor } from '@kailash/backbone';
import type {
  MetricResolution,
  MetricSummaryRequest,
  MetricSummaryResult,
  TopKMetricRequest,
  TopKMetricResult,
} from '@kailash/contracts';
import type { Bucketing, Selection } from './aggregate';
import { aggregateRows } from './aggregate';
import type { QueryContext } from './resolution';
import { chooseResolution, defaultQueryContext, RESOLUTION_SOURCE } from './resolution';
import { seriesSelection } from './series-query';

/** A whole window as one bucket, read from the resolution a range query of that one step would use. */
function windowOf(request: { from: string; to: string }, context: QueryContext) {
  const bucketing: Bucketing = {
    fromMs: Date.parse(request.from),
    toMs: Date.parse(request.to),
    stepMs: Date.parse(request.to) - Date.parse(request.from),
  };
  return {
    bucketing,
    resolution: chooseResolution({ from: request.from, stepMs: bucketing.stepMs }, context),
  };
}

/** The k edges with the highest (or lowest) value of a metric over a window, all their series together. */
export async function topKEdges(
  db: SqlExecutor,
  request: TopKMetricRequest,
  context: QueryContext = defaultQueryContext(),
): Promise<TopKMetricResult> {
  const { bucketing, resolution } = windowOf(request, context);
  const rows = await aggregateRows(
    db,
    resolution,
    request.aggregation,
    seriesSelection(request),
    bucketing,
    's.edge_id',
  );
  const sign = request.order === 'desc' ? -1 : 1;
  const edges = rows
    .filter((row) => Number.isFinite(row.value))
    .map((row) => ({ edgeId: row.g, value: row.value }))
    .sort((a, b) => sign * (a.value - b.value) || a.edgeId.localeCompare(b.edgeId))
    .slice(0, request.k);
  return { resolution, edges };
}

/** The original's `get_summary`: per metric, fleet-wide over a window. */
export async function metricSummary(
  db: SqlExecutor,
  request: MetricSummaryRequest,
  context: QueryContext = defaultQueryContext(),
): Promise<MetricSummaryResult> {
  const { bucketing, resolution } = windowOf(request, context);
  const selection: Selection = {
    where: '($1::text[] IS NULL OR s.metric = ANY($1::text[]))',
    params: [request.metrics ?? null],
  };
  const known = await db.query<{ metric: string; edges: string; latest_at: Date | null }>(
    `SELECT s.metric, count(DISTINCT s.edge_id) AS edges, max(s.last_at) AS latest_at
       FROM metric_series s WHERE ${selection.where} GROUP BY s.metric ORDER BY s.metric LIMIT 1000`,
    selection.params,
  );
  const value = async (aggregation: 'avg' | 'min' | 'max' | 'count' | 'p95') =>
    new Map(
      (await aggregateRows(db, resolution, aggregation, selection, bucketing, 's.metric')).map((row) => [
        row.g,
        row.value,
      ]),
    );
  const [avg, min, max, count, p95, reporting] = [
    await value('avg'),
    await value('min'),
    await value('max'),
    await value('count'),
    await value('p95'),
    await edgesReporting(db, resolution, selection, bucketing),
  ];
  return {
    from: request.from,
    to: request.to,
    resolution,
    metrics: known.map((row) => ({
      metric: row.metric,
      edges: Number(row.edges),
      edgesReporting: reporting.get(row.metric) ?? 0,
      samples: count.get(row.metric) ?? 0,
      avg: avg.get(row.metric) ?? null,
      min: min.get(row.metric) ?? null,
      max: max.get(row.metric) ?? null,
      p95: p95.get(row.metric) ?? null,
      latestAt: row.latest_at?.toISOString() ?? null,
    })),
  };
}

async function edgesReporting(
  db: SqlExecutor,
  resolution: MetricResolution,
  selection: Selection,
  bucketing: Bucketing,
): Promise<Map<string, number>> {
  const { table, time, present } = RESOLUTION_SOURCE[resolution];
  const rows = await db.query<{ metric: string; n: string }>(
    `SELECT s.metric, count(DISTINCT s.edge_id) AS n FROM ${table} x JOIN metric_series s ON s.id = x.series_id
      WHERE ${selection.where} AND ${present} AND ${time} >= $2::timestamptz AND ${time} < $3::timestamptz
      GROUP BY s.metric`,
    [...selection.params, new Date(bucketing.fromMs).toISOString(), new Date(bucketing.toMs).toISOString()],
  );
  return new Map(rows.map((row) => [row.metric, Number(row.n)]));
}

import type { SqlExecutor } from '@kailash/backbone';
import type { SeriesTrend } from '@kailash/contracts';
import { MINUTE_MS } from './detector-step';
import { trendOf } from './trend-math';

/** Most steps a trend is computed over; longer windows use coarser steps (whole minutes). */
export const MAX_TREND_STEPS = 720;

export interface TrendSeries {
  readonly id: string;
  readonly edgeId: string;
  readonly metric: string;
  readonly labels: Record<string, string>;
}

export interface TrendWindow {
  readonly nowMs: number;
  readonly windowMs: number;
  readonly horizonMs: number;
}

export function trendStepMs(windowMs: number): number {
  return Math.max(1, Math.ceil(windowMs / MINUTE_MS / MAX_TREND_STEPS)) * MINUTE_MS;
}

/** The series of a metric on an edge whose labels include `labels`. */
export async function seriesOf(
  db: SqlExecutor,
  edgeId: string,
  metric: string,
  labels: Record<string, string> = {},
): Promise<TrendSeries[]> {
  const rows = await db.query<{ id: string; labels: Record<string, string> }>(
    `SELECT id::text AS id, labels FROM metric_series
      WHERE edge_id = $1 AND metric = $2 AND labels @> $3::jsonb ORDER BY labels_key LIMIT 100`,
    [edgeId, metric, JSON.stringify(labels)],
  );
  return rows.map((row) => ({ id: row.id, edgeId, metric, labels: row.labels }));
}

/** Trends of the given series from their 1-minute rollups (mean per step); series with too few points are left out. */
export async function trendsOf(
  db: SqlExecutor,
  series: readonly TrendSeries[],
  window: TrendWindow,
): Promise<SeriesTrend[]> {
  if (series.length === 0) return [];
  const stepMs = trendStepMs(window.windowMs);
  const fromMs = Math.floor((window.nowMs - window.windowMs) / stepMs) * stepMs;
  const steps = Math.ceil((window.nowMs - fromMs) / stepMs);
  const rows = await db.query<{ series_id: string; k: string; mean: number }>(
    `SELECT series_id::text AS series_id,
            floor((extract(epoch FROM bucket) * 1000 - $2) / $4)::bigint AS k,
            sum(sum) / sum(count) AS mean
       FROM metric_rollups_1m
      WHERE series_id = ANY($1::bigint[]) AND bucket >= to_timestamp($2 / 1000.0)
        AND bucket < to_timestamp($3 / 1000.0) AND count > 0
      GROUP BY 1, 2`,
    [series.map((s) => s.id), fromMs, window.nowMs, stepMs],
  );
  const grids = new Map(series.map((s) => [s.id, new Array<number>(steps).fill(Number.NaN)]));
  for (const row of rows) {
    const grid = grids.get(row.series_id);
    if (grid && Number(row.k) < steps) grid[Number(row.k)] = Number(row.mean);
  }
  const horizonSteps = Math.max(1, Math.round(window.horizonMs / stepMs));
  const trends: SeriesTrend[] = [];
  for (const s of series) {
    const math = trendOf(grids.get(s.id) ?? [], horizonSteps);
    if (!math) continue;
    const perHour = 3600_000 / stepMs;
    const at = (index: number) => new Date(fromMs + index * stepMs).toISOString();
    trends.push({
      edgeId: s.edgeId,
      metric: s.metric,
      labels: s.labels,
      from: at(0),
      to: new Date(window.nowMs).toISOString(),
      stepMs,
      points: math.points,
      last: math.last,
      movingAverages: math.movingAverages,
      slopePerHour: {
        value: math.slope.value * perHour,
        lower: math.slope.lower * perHour,
        upper: math.slope.upper * perHour,
        rSquared: math.slope.rSquared,
      },
      changePoints: math.changePoints.map((c) => ({
        at: at(c.index),
        before: c.before,
        after: c.after,
        method: c.method,
      })),
      forecast: { at: at(steps - 1 + horizonSteps), ...math.forecast },
    });
  }
  return trends;
}

import type { SqlExecutor } from '@kailash/backbone';
import type { AlertRuleSpec, MetricQuery } from '@kailash/contracts';
import { MINUTE_MS } from '../series/rollup';
import { queryMetrics } from '../series/series-query';
import type { Labels } from './alert-labels';

export interface SeriesValue {
  readonly edgeId: string;
  readonly labels: Labels;
  readonly value: number;
}

/** From this window on, rules read the 1-minute rollups instead of scanning raw samples. */
export const ROLLUP_WINDOW_MS = 5 * MINUTE_MS;

/**
 * Each matching series' samples in the rule's window reduced by its aggregation, through the
 * series queries. A short window reads raw samples over exactly (now − window, now]; a long one
 * reads whole minutes of rollups, from the minute the window starts in through the current one.
 */
export async function ruleValues(
  db: SqlExecutor,
  rule: Pick<AlertRuleSpec, 'metric' | 'edgeId' | 'matchers' | 'aggregation' | 'windowMs'>,
  now: number,
): Promise<SeriesValue[]> {
  const raw = rule.windowMs < ROLLUP_WINDOW_MS;
  const from = raw ? now - rule.windowMs + 1 : Math.floor((now - rule.windowMs) / MINUTE_MS) * MINUTE_MS;
  const to = raw ? now + 1 : (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS;
  const query: MetricQuery = {
    metric: rule.metric,
    ...(rule.edgeId ? { edgeId: rule.edgeId } : {}),
    labels: rule.matchers,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    stepMs: to - from,
    aggregation: rule.aggregation,
    source: raw ? 'raw' : 'rollup',
  };
  const result = await queryMetrics(db, query);
  return result.series.flatMap((series) => {
    const point = series.points[0];
    return point && Number.isFinite(point.value)
      ? [{ edgeId: series.edgeId, labels: series.labels, value: point.value }]
      : [];
  });
}

import type { SqlExecutor } from '@kailash/backbone';
import type { AnalysisRule, AnalysisRules, AnalysisSelection } from '@kailash/contracts';
import { ANALYSIS_WILDCARD } from '@kailash/contracts';

/**
 * Analysed by default, on every edge: the resource and service metrics a platform engineer watches.
 * Custom metrics are opt-in (their shape is unknown: counters, ids, flags), and so are
 * `migration_progress` (it climbs 0 → 100 by design) and `prediction_accuracy` (a model's score,
 * analysed where it is produced).
 */
export const DEFAULT_ANALYSED_METRICS: readonly string[] = [
  'cpu',
  'load',
  'memory',
  'storage',
  'network',
  'latency',
  'throughput',
  'error_rate',
  'cache_hit_rate',
  'availability',
];

export interface SelectionRule {
  readonly edge: string;
  readonly metric: string;
  readonly analysed: boolean;
}

/** Specificity of a rule: an edge named beats every edge; then a metric named beats every metric. */
const rank = (rule: SelectionRule) =>
  (rule.edge === ANALYSIS_WILDCARD ? 0 : 2) + (rule.metric === ANALYSIS_WILDCARD ? 0 : 1);

/** Whether (edge, metric) is analysed: the most specific rule covering it, else the default list. */
export function isAnalysed(rules: readonly SelectionRule[], edgeId: string, metric: string): boolean {
  let best: SelectionRule | undefined;
  for (const rule of rules) {
    if (rule.edge !== ANALYSIS_WILDCARD && rule.edge !== edgeId) continue;
    if (rule.metric !== ANALYSIS_WILDCARD && rule.metric !== metric) continue;
    if (!best || rank(rule) > rank(best)) best = rule;
  }
  return best ? best.analysed : DEFAULT_ANALYSED_METRICS.includes(metric);
}

/** The (edge, metric) scopes a request covers. */
export function scopesOf(selection: AnalysisSelection): { edge: string; metric: string }[] {
  const edge = selection.edgeId ?? ANALYSIS_WILDCARD;
  return (selection.metrics ?? [ANALYSIS_WILDCARD]).map((metric) => ({ edge, metric }));
}

/**
 * Stores the request's rules. Each replaces the narrower rules it covers (stopping an edge stops
 * all its metrics, whatever was started for them before), so the last word wins for its scope.
 */
export async function applySelection(
  tx: SqlExecutor,
  selection: AnalysisSelection,
  analysed: boolean,
  actor: string,
  nowMs: number,
): Promise<void> {
  // One at a time across replicas, so two overlapping requests cannot interleave their rules.
  await tx.query('LOCK TABLE analytics_selections IN SHARE ROW EXCLUSIVE MODE');
  for (const { edge, metric } of scopesOf(selection)) {
    await tx.query(
      `DELETE FROM analytics_selections
        WHERE ($1 = '*' OR edge_scope = $1) AND ($2 = '*' OR metric_scope = $2)`,
      [edge, metric],
    );
    await tx.query(
      `INSERT INTO analytics_selections (edge_scope, metric_scope, analysed, actor, updated_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [edge, metric, analysed, actor, new Date(nowMs)],
    );
  }
}

interface RuleRow {
  edge_scope: string;
  metric_scope: string;
  analysed: boolean;
  actor: string;
  updated_at: Date;
}

export async function loadRules(db: SqlExecutor): Promise<AnalysisRules> {
  const rows = await db.query<RuleRow>(
    'SELECT * FROM analytics_selections ORDER BY edge_scope, metric_scope',
  );
  const rules: AnalysisRule[] = rows.map((row) => ({
    edge: row.edge_scope,
    metric: row.metric_scope,
    analysed: row.analysed,
    actor: row.actor,
    updatedAt: row.updated_at.toISOString(),
  }));
  return { defaultMetrics: [...DEFAULT_ANALYSED_METRICS], rules };
}

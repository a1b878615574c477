import type { SqlExecutor } from '@kailash/backbone';
import type { AlertView, GetAlertsQuery } from '@kailash/contracts';
import type { Labels } from './alert-labels';

interface AlertRow {
  rule_id: string;
  rule_name: string;
  fingerprint: string;
  edge_id: string;
  labels: { alert: Record<string, string> };
  state: AlertView['state'];
  severity: AlertView['severity'];
  value: number | null;
  active_at: Date | null;
  firing_since: Date | null;
  resolved_at: Date | null;
  last_evaluated_at: Date;
  last_sent_at: Date | null;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/**
 * get_alerts: the alerts the evaluator remembers (pending, firing, and resolved until the series
 * alerts again), newest activity first. `from`/`to` keep those active in that span: became
 * active before `to` and not resolved before `from`.
 */
export async function findAlerts(
  db: SqlExecutor,
  query: GetAlertsQuery,
  silenced: (labels: Labels) => boolean,
): Promise<AlertView[]> {
  const rows = await db.query<AlertRow>(
    `SELECT a.*, r.spec->>'name' AS rule_name FROM alert_states a JOIN alert_rules r ON r.id = a.rule_id
      WHERE ($1::text IS NULL OR a.state = $1) AND ($2::text IS NULL OR a.severity = $2)
        AND ($3::text IS NULL OR a.edge_id = $3) AND ($4::uuid IS NULL OR a.rule_id = $4)
        AND ($5::timestamptz IS NULL OR a.resolved_at IS NULL OR a.resolved_at >= $5)
        AND ($6::timestamptz IS NULL OR COALESCE(a.active_at, a.firing_since, a.resolved_at) < $6)
      ORDER BY COALESCE(a.resolved_at, a.firing_since, a.active_at) DESC, a.fingerprint LIMIT $7`,
    [
      query.state ?? null,
      query.severity ?? null,
      query.edgeId ?? null,
      query.ruleId ?? null,
      query.from ?? null,
      query.to ?? null,
      query.limit,
    ],
  );
  return rows.map((row) => ({
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    fingerprint: row.fingerprint,
    edgeId: row.edge_id,
    labels: row.labels.alert,
    state: row.state,
    severity: row.severity,
    value: row.value,
    activeAt: iso(row.active_at),
    firingSince: iso(row.firing_since),
    resolvedAt: iso(row.resolved_at),
    lastEvaluatedAt: row.last_evaluated_at.toISOString(),
    lastSentAt: iso(row.last_sent_at),
    silenced: silenced(row.labels.alert),
  }));
}

import type { SqlExecutor } from '@kailash/backbone';
import type { AlertSeverity } from '@kailash/contracts';
import type { Labels } from './alert-labels';
import type { AlertMemory } from './state-machine';

/** One stored (rule, series) alert: its memory plus who it is and what was sent. */
export interface StoredAlert {
  readonly fingerprint: string;
  readonly edgeId: string;
  /** The series' own labels (the identity; alert labels are derived from them). */
  readonly seriesLabels: Labels;
  readonly memory: AlertMemory;
  readonly lastSentAt: number | null;
  readonly notified: boolean;
}

interface StateRow {
  fingerprint: string;
  edge_id: string;
  labels: { series: Record<string, string> };
  state: AlertMemory['state'];
  severity: AlertSeverity;
  value: number | null;
  active_at: Date | null;
  firing_since: Date | null;
  cleared_at: Date | null;
  resolved_at: Date | null;
  last_sent_at: Date | null;
  notified: boolean;
}

const ms = (date: Date | null) => (date ? date.getTime() : null);
const at = (epoch: number | null) => (epoch === null ? null : new Date(epoch));

/** The rule's stored alerts, row-locked so the evaluation owns them until it commits. */
export async function loadAlerts(tx: SqlExecutor, ruleId: string): Promise<Map<string, StoredAlert>> {
  const rows = await tx.query<StateRow>(
    'SELECT * FROM alert_states WHERE rule_id = $1 ORDER BY fingerprint FOR UPDATE',
    [ruleId],
  );
  return new Map(
    rows.map((row) => [
      row.fingerprint,
      {
        fingerprint: row.fingerprint,
        edgeId: row.edge_id,
        seriesLabels: row.labels.series,
        lastSentAt: ms(row.last_sent_at),
        notified: row.notified,
        memory: {
          state: row.state,
          severity: row.severity,
          value: row.value,
          activeAt: ms(row.active_at),
          firingSince: ms(row.firing_since),
          clearedAt: ms(row.cleared_at),
          resolvedAt: ms(row.resolved_at),
        },
      },
    ]),
  );
}

/** Writes an alert's memory (an inactive one is forgotten: only pending, firing, resolved are kept). */
export async function saveAlert(
  tx: SqlExecutor,
  ruleId: string,
  alert: StoredAlert,
  alertLabels: Labels,
  now: number,
): Promise<void> {
  const m = alert.memory;
  if (m.state === 'inactive') {
    await tx.query('DELETE FROM alert_states WHERE rule_id = $1 AND fingerprint = $2', [
      ruleId,
      alert.fingerprint,
    ]);
    return;
  }
  await tx.query(
    `INSERT INTO alert_states (rule_id, fingerprint, edge_id, labels, state, severity, value, active_at,
                               firing_since, cleared_at, resolved_at, last_evaluated_at, last_sent_at, notified)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (rule_id, fingerprint) DO UPDATE SET
       labels = EXCLUDED.labels, state = EXCLUDED.state, severity = EXCLUDED.severity, value = EXCLUDED.value,
       active_at = EXCLUDED.active_at, firing_since = EXCLUDED.firing_since, cleared_at = EXCLUDED.cleared_at,
       resolved_at = EXCLUDED.resolved_at, last_evaluated_at = EXCLUDED.last_evaluated_at,
       last_sent_at = EXCLUDED.last_sent_at, notified = EXCLUDED.notified`,
    [
      ruleId,
      alert.fingerprint,
      alert.edgeId,
      JSON.stringify({ series: alert.seriesLabels, alert: alertLabels }),
      m.state,
      m.severity,
      m.value,
      at(m.activeAt),
      at(m.firingSince),
      at(m.clearedAt),
      at(m.resolvedAt),
      new Date(now),
      at(alert.lastSentAt),
      alert.notified,
    ],
  );
}

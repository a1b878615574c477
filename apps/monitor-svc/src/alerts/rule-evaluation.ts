import type { SqlExecutor } from '@kailash/backbone';
import type { AlertRuleView, DataOf } from '@kailash/contracts';
import { AlertFiring, AlertResolved } from '@kailash/contracts';
import type { Labels } from './alert-labels';
import { alertLabels, fingerprint, transitionId } from './alert-labels';
import type { StoredAlert } from './alert-state-store';
import { loadAlerts, saveAlert } from './alert-state-store';
import { notifyGroups } from './notifier';
import type { SeriesValue } from './rule-values';
import type { AlertMemory, Transition } from './state-machine';
import { evaluate, INACTIVE } from './state-machine';

export interface EvaluationContext {
  readonly now: number;
  readonly silenced: (labels: Labels) => boolean;
  /** The receiver for rules that name none. */
  readonly defaultWebhookUrl?: string;
}

/**
 * One evaluation of one rule inside the caller's transaction: every series with a value and every
 * alert remembered steps through the state machine; each transition goes to the event outbox
 * under an id derived from (rule, series, transition, time); due groups queue a notification.
 * Returns how many transitions it recorded.
 */
export async function evaluateRule(
  tx: SqlExecutor,
  rule: AlertRuleView,
  values: readonly SeriesValue[],
  ctx: EvaluationContext,
): Promise<number> {
  // Held until commit, so a delete of the rule waits for this round instead of racing it.
  const held = await tx.query('SELECT 1 FROM alert_rules WHERE id = $1 FOR SHARE', [rule.id]);
  if (held.length === 0) return 0;
  const known = await loadAlerts(tx, rule.id);
  const seen = new Map<string, StoredAlert>(known);
  const valueOf = new Map<string, number>();
  for (const series of values) {
    const fp = fingerprint(rule.id, series.edgeId, series.labels);
    valueOf.set(fp, series.value);
    if (!seen.has(fp))
      seen.set(fp, {
        fingerprint: fp,
        edgeId: series.edgeId,
        seriesLabels: series.labels,
        memory: INACTIVE,
        lastSentAt: null,
        notified: false,
      });
  }
  let transitions = 0;
  const stepped: StoredAlert[] = [];
  for (const alert of seen.values()) {
    const { memory, transition } = evaluate(alert.memory, rule.spec, valueOf.get(alert.fingerprint), ctx.now);
    // A fresh firing starts a new announcement; an escalation keeps what was already said.
    const fresh = transition?.kind === 'firing' && !transition.escalated;
    const notified = fresh ? false : alert.notified;
    // Back to inactive before its resolve was sent: kept as resolved until the notification says so.
    const kept: AlertMemory =
      memory.state === 'inactive' && notified
        ? { ...memory, state: 'resolved', resolvedAt: ctx.now }
        : memory;
    const next = { ...alert, memory: kept, notified };
    if (transition) {
      transitions++;
      await recordTransition(tx, rule, next, transition);
    }
    stepped.push(next);
  }
  const url = rule.spec.webhookUrl ?? ctx.defaultWebhookUrl;
  const notified = url
    ? await notifyGroups(
        tx,
        { ruleId: rule.id, rule: rule.spec, url, silenced: ctx.silenced, now: ctx.now },
        stepped,
      )
    : stepped;
  for (const alert of notified) {
    // A series that never left inactive has no row to write or forget.
    if (alert.memory.state === 'inactive' && !known.has(alert.fingerprint)) continue;
    await saveAlert(tx, rule.id, alert, labelsOf(rule, alert), ctx.now);
  }
  return transitions;
}

const labelsOf = (rule: AlertRuleView, alert: StoredAlert) =>
  alertLabels(rule.spec, alert.edgeId, alert.seriesLabels, alert.memory.severity);

/** A transition's event, in the outbox of this transaction (published once it committed). */
export async function recordTransition(
  tx: SqlExecutor,
  rule: AlertRuleView,
  alert: StoredAlert,
  transition: Transition,
  actor?: string,
): Promise<void> {
  const m = alert.memory;
  const iso = (ms: number | null) => new Date(ms ?? transition.at).toISOString();
  const base = {
    ruleId: rule.id,
    ruleName: rule.spec.name,
    fingerprint: alert.fingerprint,
    edgeId: alert.edgeId,
    labels: labelsOf(rule, alert),
    severity: m.severity,
    value: m.value,
    threshold: rule.spec.threshold,
    comparison: rule.spec.comparison,
    activeAt: iso(m.activeAt),
    firingSince: iso(m.firingSince),
  };
  const [type, data]: [string, DataOf<typeof AlertFiring> | DataOf<typeof AlertResolved>] =
    transition.kind === 'firing'
      ? [AlertFiring.type, { ...base, escalated: transition.escalated }]
      : [AlertResolved.type, { ...base, resolvedAt: iso(transition.at) }];
  await tx.query(
    `INSERT INTO alert_event_outbox (id, type, aggregate_id, data, actor, created_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6) ON CONFLICT (id) DO NOTHING`,
    [
      transitionId(alert.fingerprint, transition.kind, transition.at),
      type,
      alert.fingerprint,
      JSON.stringify(data),
      actor ?? null,
      new Date(transition.at),
    ],
  );
}

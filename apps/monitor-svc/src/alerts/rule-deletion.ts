import type { SqlExecutor } from '@kailash/backbone';
import { loadAlerts } from './alert-state-store';
import { findRule, ruleNotFound } from './rule-store';
import { recordTransition } from './rule-evaluation';

/**
 * Deletes a rule with its alerts; each firing one gets its `alert.resolved` in the outbox of the
 * same transaction, so no consumer is left with an alert that fires for ever. Returns how many.
 */
export async function resolveOnDelete(
  tx: SqlExecutor,
  ruleId: string,
  actor: string,
  now: number,
): Promise<number> {
  const rule = await findRule(tx, ruleId);
  const alerts = await loadAlerts(tx, ruleId);
  let resolved = 0;
  for (const alert of alerts.values()) {
    if (alert.memory.state !== 'firing') continue;
    const memory = { ...alert.memory, state: 'resolved' as const, resolvedAt: now };
    await recordTransition(tx, rule, { ...alert, memory }, { kind: 'resolved', at: now }, actor);
    resolved++;
  }
  const rows = await tx.query('DELETE FROM alert_rules WHERE id = $1 RETURNING id', [ruleId]);
  if (rows.length === 0) throw ruleNotFound(ruleId);
  return resolved;
}

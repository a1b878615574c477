import type { AlertComparison, AlertRuleSpec, AlertSeverity } from '@kailash/contracts';
import { ALERT_SEVERITIES } from '@kailash/contracts';

/** One (rule, series)'s evaluation memory; times are epoch ms. */
export interface AlertMemory {
  readonly state: 'inactive' | 'pending' | 'firing' | 'resolved';
  readonly severity: AlertSeverity;
  readonly value: number | null;
  /** Since when the condition has held without a break (pending since). */
  readonly activeAt: number | null;
  readonly firingSince: number | null;
  /** When a firing alert's condition first cleared; keep_firing_for counts from here. */
  readonly clearedAt: number | null;
  readonly resolvedAt: number | null;
}

export type Transition =
  | { readonly kind: 'firing'; readonly at: number; readonly escalated: boolean }
  | { readonly kind: 'resolved'; readonly at: number };

export const INACTIVE: AlertMemory = {
  state: 'inactive',
  severity: 'info',
  value: null,
  activeAt: null,
  firingSince: null,
  clearedAt: null,
  resolvedAt: null,
};

export type RuleCondition = Pick<
  AlertRuleSpec,
  'comparison' | 'threshold' | 'severity' | 'escalations' | 'forMs' | 'keepFiringForMs'
>;

export function compare(value: number, comparison: AlertComparison, threshold: number): boolean {
  switch (comparison) {
    case 'gt':
      return value > threshold;
    case 'gte':
      return value >= threshold;
    case 'lt':
      return value < threshold;
    case 'lte':
      return value <= threshold;
    case 'eq':
      return value === threshold;
    case 'ne':
      return value !== threshold;
  }
}

/** The highest severity whose threshold `value` meets, or undefined when the condition is false. */
export function severityOf(rule: RuleCondition, value: number | undefined): AlertSeverity | undefined {
  if (value === undefined || !compare(value, rule.comparison, rule.threshold)) return undefined;
  let severity = rule.severity;
  for (const level of rule.escalations)
    if (compare(value, rule.comparison, level.threshold)) severity = level.severity;
  return severity;
}

export const severityRank = (severity: AlertSeverity): number => ALERT_SEVERITIES.indexOf(severity);

/**
 * One evaluation of one series, as Prometheus does it: a true condition starts (or keeps) the
 * `for` timer, and the alert fires once it held for `forMs` at every evaluation; a single false
 * evaluation resets a pending alert. A firing alert whose condition clears keeps firing for
 * `keepFiringForMs`, then resolves. `value` undefined means the series had no sample in the
 * window: the condition is false, as for a vanished series.
 */
export function evaluate(
  memory: AlertMemory,
  rule: RuleCondition,
  value: number | undefined,
  now: number,
): { memory: AlertMemory; transition?: Transition } {
  const severity = severityOf(rule, value);
  const shown = value ?? null;
  if (severity !== undefined) {
    if (memory.state === 'firing') {
      const rose = severityRank(severity) > severityRank(memory.severity);
      // Held firing through keep_firing_for keeps its severity until the condition says higher.
      const next = { ...memory, value: shown, clearedAt: null, severity };
      return rose
        ? { memory: next, transition: { kind: 'firing', at: now, escalated: true } }
        : { memory: next };
    }
    const activeAt = memory.state === 'pending' && memory.activeAt !== null ? memory.activeAt : now;
    if (now - activeAt >= rule.forMs) {
      const firing: AlertMemory = {
        state: 'firing',
        severity,
        value: shown,
        activeAt,
        firingSince: now,
        clearedAt: null,
        resolvedAt: null,
      };
      return { memory: firing, transition: { kind: 'firing', at: now, escalated: false } };
    }
    return { memory: { ...INACTIVE, state: 'pending', severity, value: shown, activeAt } };
  }
  if (memory.state === 'firing') {
    const clearedAt = memory.clearedAt ?? now;
    if (now - clearedAt < rule.keepFiringForMs) return { memory: { ...memory, value: shown, clearedAt } };
    return {
      memory: { ...memory, state: 'resolved', value: shown, clearedAt, resolvedAt: now },
      transition: { kind: 'resolved', at: now },
    };
  }
  if (memory.state === 'pending') return { memory: { ...INACTIVE, value: shown } };
  return { memory: { ...memory, value: shown } };
}

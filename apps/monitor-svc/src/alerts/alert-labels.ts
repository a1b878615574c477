import { createHash } from 'node:crypto';
import type { AlertRuleSpec, AlertSeverity } from '@kailash/contracts';
import { labelsKey } from '../series/series-key';

export type Labels = Readonly<Record<string, string>>;

/**
 * An alert's labels, as Alertmanager sees them: the series' labels, then the rule's, then
 * `alertname`, `edge` and `severity` (the later win). Silences and group_by match these.
 */
export function alertLabels(
  rule: Pick<AlertRuleSpec, 'name' | 'labels'>,
  edgeId: string,
  seriesLabels: Labels,
  severity: AlertSeverity,
): Record<string, string> {
  return { ...seriesLabels, ...rule.labels, alertname: rule.name, edge: edgeId, severity };
}

/** A stable id of (rule, series), usable as an aggregate id (hex). */
export function fingerprint(ruleId: string, edgeId: string, seriesLabels: Labels): string {
  return createHash('sha256')
    .update(`${ruleId}\u0000${edgeId}\u0000${labelsKey(seriesLabels)}`)
    .digest('hex')
    .slice(0, 32);
}

/** Every matcher equal (a missing label counts as the empty string, as in Alertmanager). */
export function matchesAll(matchers: Labels, labels: Labels): boolean {
  return Object.entries(matchers).every(([name, value]) => (labels[name] ?? '') === value);
}

/** The values of the group_by labels: equal values, one notification. */
export function groupOf(groupBy: readonly string[], labels: Labels): { key: string; labels: Labels } {
  const picked = Object.fromEntries([...groupBy].sort().map((name) => [name, labels[name] ?? '']));
  return { key: labelsKey(picked), labels: picked };
}

/** The event id of a transition: the same transition always gets the same id, so JetStream keeps one. */
export function transitionId(fp: string, kind: 'firing' | 'resolved', atMs: number): string {
  return `alert-${fp}-${kind}-${atMs}`;
}

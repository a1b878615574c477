import type { AlertRuleSpec } from '@kailash/contracts';

/** A notification group's timers, as stored between evaluations. */
export interface GroupTimers {
  readonly createdAt: number;
  readonly lastSentAt: number | null;
  /** What the last notification said (see signatureOf). */
  readonly lastSignature: string | null;
  /** The highest severity rank among the firing alerts it announced (-1: none). */
  readonly lastSeverity: number;
}

export interface GroupMember {
  readonly fingerprint: string;
  readonly state: 'firing' | 'resolved';
  readonly severityRank: number;
  readonly severity: string;
}

export type Timing = Pick<AlertRuleSpec, 'groupWaitMs' | 'groupIntervalMs' | 'repeatIntervalMs'>;

export const signatureOf = (members: readonly GroupMember[]): string =>
  members
    .map((m) => `${m.fingerprint}:${m.state}:${m.severity}`)
    .sort()
    .join(',');

/**
 * Whether a group is notified now, by Alertmanager's timers: a new group waits `groupWaitMs`
 * (an alert resolved inside it was never announced and is not sent); after that, a change
 * (alert added, resolved, severity changed) is sent once `groupIntervalMs` passed since the last
 * notification, and an unchanged firing group again every `repeatIntervalMs`. A rise in the
 * highest severity is sent at once, through both intervals: an escalation is never held back.
 */
export function shouldNotify(
  timers: GroupTimers,
  members: readonly GroupMember[],
  timing: Timing,
  now: number,
): boolean {
  const firing = members.filter((m) => m.state === 'firing');
  if (timers.lastSentAt === null) return firing.length > 0 && now - timers.createdAt >= timing.groupWaitMs;
  if (members.length === 0) return false;
  const highest = Math.max(-1, ...firing.map((m) => m.severityRank));
  if (highest > timers.lastSeverity) return true;
  const since = now - timers.lastSentAt;
  if (signatureOf(members) !== timers.lastSignature) return since >= timing.groupIntervalMs;
  return firing.length > 0 && since >= timing.repeatIntervalMs;
}

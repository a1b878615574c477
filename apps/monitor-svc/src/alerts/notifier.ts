import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '@kailash/backbone';
import type { AlertRuleSpec } from '@kailash/contracts';
import type { Labels } from './alert-labels';
import { alertLabels, groupOf } from './alert-labels';
import type { StoredAlert } from './alert-state-store';
import type { GroupMember, GroupTimers } from './notify-policy';
import { shouldNotify, signatureOf } from './notify-policy';
import { severityRank } from './state-machine';

interface GroupRow {
  group_key: string;
  group_labels: Record<string, string>;
  created_at: Date;
  last_sent_at: Date | null;
  last_signature: string | null;
  last_severity: number;
}

interface Member extends GroupMember {
  readonly alert: StoredAlert;
  readonly labels: Labels;
}

export interface NotifyContext {
  readonly ruleId: string;
  readonly rule: AlertRuleSpec;
  readonly url: string;
  readonly silenced: (labels: Labels) => boolean;
  readonly now: number;
}

/**
 * Groups the rule's alerts by its group_by labels and queues a webhook notification for each
 * group its timers say is due. Silenced alerts take no part. Returns the alerts with what was
 * sent recorded (`notified`, `lastSentAt`), for the caller to save in the same transaction.
 */
export async function notifyGroups(
  tx: SqlExecutor,
  ctx: NotifyContext,
  alerts: readonly StoredAlert[],
): Promise<StoredAlert[]> {
  const groups = groupMembers(ctx, alerts);
  const stored = await tx.query<GroupRow>('SELECT * FROM alert_groups WHERE rule_id = $1', [ctx.ruleId]);
  const updated = new Map(alerts.map((alert) => [alert.fingerprint, alert]));
  for (const row of stored) if (!groups.has(row.group_key)) await deleteGroup(tx, ctx.ruleId, row.group_key);
  for (const [key, group] of groups) {
    const row = stored.find((r) => r.group_key === key);
    if (!row) await insertGroup(tx, ctx.ruleId, key, group.labels, ctx.now);
    if (!shouldNotify(timersOf(row, ctx.now), group.members, ctx.rule, ctx.now)) continue;
    await queueNotification(tx, ctx, key, group.labels, group.members);
    await recordSent(tx, ctx, key, group.members);
    for (const member of group.members)
      updated.set(member.fingerprint, {
        ...member.alert,
        notified: member.state === 'firing',
        lastSentAt: ctx.now,
      });
  }
  return [...updated.values()];
}

/** The alerts to announce, by group: firing ones, and announced ones whose resolve is due. */
function groupMembers(
  ctx: NotifyContext,
  alerts: readonly StoredAlert[],
): Map<string, { labels: Labels; members: Member[] }> {
  const groups = new Map<string, { labels: Labels; members: Member[] }>();
  for (const alert of alerts) {
    const m = alert.memory;
    // Announced firing and no longer firing (resolved, or already pending again): its resolve is due.
    const announce = m.state === 'firing' || alert.notified;
    const labels = alertLabels(ctx.rule, alert.edgeId, alert.seriesLabels, m.severity);
    if (!announce || ctx.silenced(labels)) continue;
    const group = groupOf(ctx.rule.groupBy, labels);
    const entry = groups.get(group.key) ?? { labels: group.labels, members: [] };
    entry.members.push({
      alert,
      labels,
      fingerprint: alert.fingerprint,
      state: m.state === 'firing' ? 'firing' : 'resolved',
      severity: m.severity,
      severityRank: severityRank(m.severity),
    });
    groups.set(group.key, entry);
  }
  return groups;
}

function timersOf(row: GroupRow | undefined, now: number): GroupTimers {
  if (!row) return { createdAt: now, lastSentAt: null, lastSignature: null, lastSeverity: -1 };
  return {
    createdAt: row.created_at.getTime(),
    lastSentAt: row.last_sent_at?.getTime() ?? null,
    lastSignature: row.last_signature,
    lastSeverity: row.last_severity,
  };
}

/** What the group now says (its firing alerts), for the next comparison; a group with none ends. */
async function recordSent(tx: SqlExecutor, ctx: NotifyContext, key: string, members: readonly Member[]) {
  const firing = members.filter((m) => m.state === 'firing');
  if (firing.length === 0) return deleteGroup(tx, ctx.ruleId, key);
  return tx.query(
    `UPDATE alert_groups SET last_sent_at = $3, last_signature = $4, last_severity = $5
      WHERE rule_id = $1 AND group_key = $2`,
    [ctx.ruleId, key, new Date(ctx.now), signatureOf(firing), Math.max(...firing.map((m) => m.severityRank))],
  );
}

const insertGroup = (tx: SqlExecutor, ruleId: string, key: string, labels: Labels, now: number) =>
  tx.query(
    `INSERT INTO alert_groups (rule_id, group_key, group_labels, created_at) VALUES ($1, $2, $3::jsonb, $4)`,
    [ruleId, key, JSON.stringify(labels), new Date(now)],
  );

const deleteGroup = (tx: SqlExecutor, ruleId: string, key: string) =>
  tx.query('DELETE FROM alert_groups WHERE rule_id = $1 AND group_key = $2', [ruleId, key]);

/** The payload follows Alertmanager's webhook format, plus an id a receiver can deduplicate on. */
async function queueNotification(
  tx: SqlExecutor,
  ctx: NotifyContext,
  groupKey: string,
  groupLabels: Labels,
  members: readonly Member[],
): Promise<void> {
  const id = randomUUID();
  const firing = members.some((m) => m.state === 'firing');
  const common = Object.fromEntries(
    Object.entries(members[0]?.labels ?? {}).filter(([name, value]) =>
      members.every((m) => m.labels[name] === value),
    ),
  );
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const payload = {
    version: '4',
    notificationId: id,
    ruleId: ctx.ruleId,
    groupKey: `${ctx.ruleId}:${groupKey}`,
    status: firing ? 'firing' : 'resolved',
    receiver: ctx.url,
    groupLabels,
    commonLabels: common,
    commonAnnotations: ctx.rule.annotations,
    alerts: members.map((m) => ({
      status: m.state,
      fingerprint: m.fingerprint,
      labels: m.labels,
      annotations: ctx.rule.annotations,
      value: m.alert.memory.value,
      startsAt: iso(m.alert.memory.firingSince),
      endsAt: m.state === 'resolved' ? iso(m.alert.memory.resolvedAt ?? ctx.now) : null,
    })),
    sentAt: new Date(ctx.now).toISOString(),
  };
  await tx.query(
    `INSERT INTO alert_notifications (id, url, payload, next_attempt_at) VALUES ($1, $2, $3::jsonb, $4)`,
    [id, ctx.url, JSON.stringify(payload), new Date(ctx.now)],
  );
}

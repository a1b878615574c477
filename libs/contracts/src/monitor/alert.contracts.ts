import { z } from 'zod';
import { defineCommand, defineEvent, defineQuery, tokenSchema } from '../envelope';
import {
  MONITOR_DOMAIN,
  metricAggregationSchema,
  metricLabelsSchema,
  metricNameSchema,
} from './metric.contracts';

/**
 * Alert rules of monitor-svc with Prometheus's semantics (inactive → pending → firing → resolved,
 * `for`, `keep_firing_for`) and Alertmanager's notification timers (group_by, group_wait,
 * group_interval, repeat_interval), silences and webhook receivers. Durations are milliseconds.
 */

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export const alertSeveritySchema = z.enum(ALERT_SEVERITIES);
export type AlertSeverity = z.output<typeof alertSeveritySchema>;

export const ALERT_COMPARISONS = ['gt', 'gte', 'lt', 'lte', 'eq', 'ne'] as const;
export const alertComparisonSchema = z.enum(ALERT_COMPARISONS);
export type AlertComparison = z.output<typeof alertComparisonSchema>;

export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export const alertStateSchema = z.enum(ALERT_STATES);
export type AlertState = z.output<typeof alertStateSchema> | 'inactive';

const DAY_MS = 86_400_000;
const duration = (min: number, max: number) => z.number().int().min(min).max(max);
const threshold = z.number().min(-1e18, 'must be at least -1e18').max(1e18, 'must be at most 1e18');
const timestamp = z.iso.datetime();

/** An http(s) URL a notification is POSTed to. */
export const webhookUrlSchema = z
  .string()
  .max(2048)
  .refine((text) => {
    try {
      return ['http:', 'https:'].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }, 'must be an http or https URL');

const escalationSchema = z.strictObject({ threshold, severity: alertSeveritySchema });

export const alertRuleSpecSchema = z
  .strictObject({
    /** Becomes the `alertname` label. */
    name: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 characters: a letter, then A-Z a-z 0-9 _ . -'),
    metric: metricNameSchema,
    /** Only this edge's series; every edge's otherwise. */
    edgeId: tokenSchema.optional(),
    /** Series whose labels include all of these. */
    matchers: metricLabelsSchema.default({}),
    /** What each series' samples in the last `windowMs` are reduced to before the comparison. */
    aggregation: metricAggregationSchema.default('avg'),
    windowMs: duration(1000, DAY_MS).default(60_000),
    comparison: alertComparisonSchema,
    threshold,
    severity: alertSeveritySchema.default('warning'),
    /** Stricter thresholds with higher severities: the alert takes the highest one its value meets. */
    escalations: z.array(escalationSchema).max(4).default([]),
    forMs: duration(0, DAY_MS).default(0),
    keepFiringForMs: duration(0, DAY_MS).default(0),
    /** Added to every alert of the rule (and may be matched by silences). */
    labels: metricLabelsSchema.default({}),
    annotations: z.record(z.string().max(64), z.string().max(1024)).default({}),
    /** Alert labels whose equal values form one notification; [] puts all the rule's alerts in one. */
    groupBy: z.array(z.string().max(32)).max(16).default([]),
    groupWaitMs: duration(0, DAY_MS).default(30_000),
    groupIntervalMs: duration(1000, DAY_MS).default(300_000),
    repeatIntervalMs: duration(1000, 30 * DAY_MS).default(4 * 3600_000),
    /** The receiver; the service's ALERT_WEBHOOK_URL when absent; no notifications if neither. */
    webhookUrl: webhookUrlSchema.optional(),
    enabled: z.boolean().default(true),
  })
  .superRefine((rule, ctx) => {
    const rank = ALERT_SEVERITIES.indexOf(rule.severity);
    rule.escalations.forEach((level, i) => {
      const previous =
        i === 0 ? { threshold: rule.threshold, severity: rule.severity } : rule.escalations[i - 1];
      if (!previous) return;
      if (
        ALERT_SEVERITIES.indexOf(level.severity) <=
        Math.max(rank, ALERT_SEVERITIES.indexOf(previous.severity))
      )
        ctx.addIssue({
          code: 'custom',
          path: ['escalations', i, 'severity'],
          message: 'must be higher than the level before',
        });
      const stricter = ['gt', 'gte'].includes(rule.comparison)
        ? level.threshold > previous.threshold
        : ['lt', 'lte'].includes(rule.comparison)
          ? level.threshold < previous.threshold
          : false;
      if (!stricter)
        ctx.addIssue({
          code: 'custom',
          path: ['escalations', i, 'threshold'],
          message: 'must be stricter than the level before (escalations need gt, gte, lt or lte)',
        });
    });
  });
export type AlertRuleSpec = z.output<typeof alertRuleSpecSchema>;
export type AlertRuleInput = z.input<typeof alertRuleSpecSchema>;

export const alertRuleIdSchema = z.uuid();

export const alertRuleViewSchema = z.strictObject({
  id: z.string(),
  version: z.number().int(),
  spec: z.record(z.string(), z.unknown()),
  createdBy: z.string(),
  updatedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AlertRuleView = Omit<z.output<typeof alertRuleViewSchema>, 'spec'> & { spec: AlertRuleSpec };

export const silenceSpecSchema = z
  .strictObject({
    /** Alert labels (alertname, edge, severity, the rule's and the series' labels) that must all be equal. */
    matchers: metricLabelsSchema.refine((m) => Object.keys(m).length > 0, 'must have at least one matcher'),
    startsAt: timestamp.optional(),
    endsAt: timestamp,
    comment: z.string().max(1024).default(''),
  })
  .refine((s) => s.startsAt === undefined || Date.parse(s.endsAt) > Date.parse(s.startsAt), {
    path: ['endsAt'],
    message: 'must be after startsAt',
  });
export type SilenceSpec = z.output<typeof silenceSpecSchema>;

export const silenceViewSchema = z.strictObject({
  id: z.string(),
  matchers: z.record(z.string(), z.string()),
  startsAt: z.string(),
  endsAt: z.string(),
  comment: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type SilenceView = z.output<typeof silenceViewSchema>;

export const alertViewSchema = z.strictObject({
  ruleId: z.string(),
  ruleName: z.string(),
  /** A stable id of (rule, series). */
  fingerprint: z.string(),
  edgeId: z.string(),
  labels: z.record(z.string(), z.string()),
  state: alertStateSchema,
  severity: alertSeveritySchema,
  value: z.number().nullable(),
  /** Since when the condition has held (pending since). */
  activeAt: z.string().nullable(),
  firingSince: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  lastEvaluatedAt: z.string(),
  lastSentAt: z.string().nullable(),
  silenced: z.boolean(),
});
export type AlertView = z.output<typeof alertViewSchema>;

export const getAlertsSchema = z
  .strictObject({
    state: alertStateSchema.optional(),
    severity: alertSeveritySchema.optional(),
    edgeId: tokenSchema.optional(),
    ruleId: alertRuleIdSchema.optional(),
    /** Alerts whose activity overlaps [from, to): active at or before `to`, not resolved before `from`. */
    from: timestamp.optional(),
    to: timestamp.optional(),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) > Date.parse(q.from), {
    path: ['to'],
    message: 'must be after from',
  });
export type GetAlertsQuery = z.output<typeof getAlertsSchema>;

const ruleIdData = z.strictObject({ ruleId: alertRuleIdSchema });
const silenceIdData = z.strictObject({ silenceId: z.uuid() });
const deleted = z.strictObject({ deleted: z.boolean() });

export const CreateAlertRule = defineCommand(MONITOR_DOMAIN, 'alert.rule.create', {
  data: alertRuleSpecSchema,
  result: alertRuleViewSchema,
});
export const UpdateAlertRule = defineCommand(MONITOR_DOMAIN, 'alert.rule.update', {
  data: z.strictObject({ ruleId: alertRuleIdSchema, spec: alertRuleSpecSchema }),
  result: alertRuleViewSchema,
});
export const DeleteAlertRule = defineCommand(MONITOR_DOMAIN, 'alert.rule.delete', {
  data: ruleIdData,
  result: deleted,
});
export const GetAlertRule = defineQuery(MONITOR_DOMAIN, 'alert.rule.get', {
  data: ruleIdData,
  result: alertRuleViewSchema,
});
export const ListAlertRules = defineQuery(MONITOR_DOMAIN, 'alert.rule.list', {
  data: z.strictObject({}),
  result: z.strictObject({ rules: z.array(alertRuleViewSchema) }),
});
export const CreateSilence = defineCommand(MONITOR_DOMAIN, 'alert.silence.create', {
  data: silenceSpecSchema,
  result: silenceViewSchema,
});
export const DeleteSilence = defineCommand(MONITOR_DOMAIN, 'alert.silence.delete', {
  data: silenceIdData,
  result: deleted,
});
export const ListSilences = defineQuery(MONITOR_DOMAIN, 'alert.silence.list', {
  data: z.strictObject({}),
  result: z.strictObject({ silences: z.array(silenceViewSchema) }),
});
export const GetAlerts = defineQuery(MONITOR_DOMAIN, 'alert.list', {
  data: getAlertsSchema,
  result: z.strictObject({ alerts: z.array(alertViewSchema) }),
});

const alertEventData = {
  ruleId: z.string(),
  ruleName: z.string(),
  fingerprint: z.string(),
  edgeId: z.string(),
  labels: z.record(z.string(), z.string()),
  severity: alertSeveritySchema,
  value: z.number().nullable(),
  threshold: z.number(),
  comparison: alertComparisonSchema,
  activeAt: z.string(),
  firingSince: z.string(),
};

/** An alert entered firing (its `for` elapsed), or its severity rose while firing. */
export const AlertFiring = defineEvent('alert.firing', {
  aggregateType: 'alert',
  data: z.strictObject({ ...alertEventData, escalated: z.boolean() }),
});

/** A firing alert's condition cleared (after `keep_firing_for`), or its rule was deleted. */
export const AlertResolved = defineEvent('alert.resolved', {
  aggregateType: 'alert',
  data: z.strictObject({ ...alertEventData, resolvedAt: z.string() }),
});

export const alertEventDefinitions = [AlertFiring, AlertResolved] as const;

import { metricLabelsSchema, metricNameSchema } from '@kailash/contracts';
import { z } from 'zod';
import { HOST_CPU_LABELS } from './metric-units';

/**
 * One health rule: a metric (the series of the edge whose labels include `labels`), the threshold
 * of each level, and how long the value must stay across a threshold before the level changes (in
 * both directions), so one spike or one dip does not flip the verdict.
 */
export const healthRuleSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be 1-64 characters: a-z first, then a-z 0-9 _'),
    metric: metricNameSchema,
    labels: metricLabelsSchema.default({}),
    /** `above`: high values are bad (cpu); `below`: low values are bad (availability). */
    comparison: z.enum(['above', 'below']),
    degraded: z.number().finite(),
    unhealthy: z.number().finite(),
    forMs: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600_000),
  })
  .refine(
    (rule) =>
      rule.comparison === 'above' ? rule.unhealthy >= rule.degraded : rule.unhealthy <= rule.degraded,
    {
      path: ['unhealthy'],
      message: 'must be at least as bad as degraded (≥ for above, ≤ for below)',
    },
  );
export type HealthRule = z.output<typeof healthRuleSchema>;

export const healthRulesSchema = z
  .array(healthRuleSchema)
  .min(1)
  .max(64)
  .refine(
    (rules) => new Set(rules.map((rule) => rule.name)).size === rules.length,
    'rule names must be unique',
  );

/**
 * The rules monitor-svc judges by unless HEALTH_RULES replaces them (README, "Health"). A rule's
 * thresholds are in its series' unit (metric-units.ts): the cpu rule's are % of the host's cores.
 */
export const DEFAULT_HEALTH_RULES: readonly HealthRule[] = [
  rule('cpu', 'cpu', HOST_CPU_LABELS, 'above', 80, 95, 120_000),
  rule('memory', 'memory', { scope: 'host_percent' }, 'above', 85, 95, 120_000),
  rule('storage', 'storage', { scope: 'used_percent' }, 'above', 85, 95, 300_000),
  rule('error_rate', 'error_rate', {}, 'above', 0.05, 0.2, 60_000),
  rule('latency', 'latency', {}, 'above', 500, 2000, 120_000),
  rule('availability', 'availability', {}, 'below', 0.99, 0.9, 60_000),
];

function rule(
  name: string,
  metric: string,
  labels: Record<string, string>,
  comparison: HealthRule['comparison'],
  degraded: number,
  unhealthy: number,
  forMs: number,
): HealthRule {
  return { name, metric, labels, comparison, degraded, unhealthy, forMs };
}

/** Whether `value` is at or past `threshold` in the rule's bad direction. */
export function breaches(rule: Pick<HealthRule, 'comparison'>, value: number, threshold: number): boolean {
  return rule.comparison === 'above' ? value >= threshold : value <= threshold;
}

/** The worst of several series' values, in the rule's bad direction. */
export function worstOf(rule: Pick<HealthRule, 'comparison'>, values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  return rule.comparison === 'above' ? Math.max(...values) : Math.min(...values);
}

/** Series labels include every label the rule names. */
export function labelsMatch(
  wanted: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}

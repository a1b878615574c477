import { ConfigError } from '@kailash/service-kit';
import { z } from 'zod';
import type { HealthRule } from './health-rules';
import { DEFAULT_HEALTH_RULES, healthRulesSchema } from './health-rules';

const ms = (min: number, fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(min)
    .max(24 * 3600_000)
    .default(fallback);

/** HEALTH_RULES is JSON: the rules as `healthRuleSchema` describes them, replacing the defaults. */
const rulesFromJson = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be JSON (an array of rules)' });
      return z.NEVER;
    }
  })
  .pipe(healthRulesSchema);

const healthEnvSchema = z.object({
  /** No sample of any metric of an edge for this long: the edge is `unknown`. */
  HEALTH_STALE_MS: ms(1000, 120_000),
  /** How often every edge is judged. */
  HEALTH_EVAL_MS: ms(100, 10_000),
  /** At most one utilisation report per edge per this interval. */
  HEALTH_UTILISATION_MS: ms(1000, 30_000),
  HEALTH_RULES: rulesFromJson.optional(),
});

export interface HealthConfig {
  readonly staleMs: number;
  readonly evaluateEveryMs: number;
  readonly utilisationEveryMs: number;
  readonly rules: readonly HealthRule[];
}

/** Health settings; a bad value stops the boot with the variable (and the rule field) named. */
export function loadHealthConfig(env: Readonly<Record<string, string | undefined>>): HealthConfig {
  const result = healthEnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const { data } = result;
  return {
    staleMs: data.HEALTH_STALE_MS,
    evaluateEveryMs: data.HEALTH_EVAL_MS,
    utilisationEveryMs: data.HEALTH_UTILISATION_MS,
    rules: data.HEALTH_RULES ?? DEFAULT_HEALTH_RULES,
  };
}

import { webhookUrlSchema } from '@kailash/contracts';
import { ConfigError } from '@kailash/service-kit';
import { z } from 'zod';

const positiveMs = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);

const alertsEnvSchema = z.object({
  /** How often every rule is evaluated (Prometheus' evaluation_interval); 1 s keeps alert lag under 2 s. */
  ALERT_EVALUATION_MS: positiveMs(100, 1000),
  /** The receiver of rules that name none. */
  ALERT_WEBHOOK_URL: webhookUrlSchema.optional(),
  /** One POST's deadline. */
  ALERT_WEBHOOK_TIMEOUT_MS: positiveMs(100, 5000),
  /** Attempts per notification before it becomes a dead letter. */
  ALERT_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** Wait after the first failed attempt; doubled after each further one, up to 5 minutes. */
  ALERT_WEBHOOK_BACKOFF_MS: positiveMs(10, 1000),
});

export interface AlertsConfig {
  readonly evaluationMs: number;
  readonly defaultWebhookUrl?: string;
  readonly webhookTimeoutMs: number;
  readonly webhookAttempts: number;
  readonly webhookBackoffMs: number;
}

/** The alerting settings; a bad value stops the boot with the variable named. */
export function loadAlertsConfig(env: Readonly<Record<string, string>>): AlertsConfig {
  const result = alertsEnvSchema.safeParse(env);
  if (!result.success)
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const data = result.data;
  return {
    evaluationMs: data.ALERT_EVALUATION_MS,
    ...(data.ALERT_WEBHOOK_URL ? { defaultWebhookUrl: data.ALERT_WEBHOOK_URL } : {}),
    webhookTimeoutMs: data.ALERT_WEBHOOK_TIMEOUT_MS,
    webhookAttempts: data.ALERT_WEBHOOK_ATTEMPTS,
    webhookBackoffMs: data.ALERT_WEBHOOK_BACKOFF_MS,
  };
}

/** Wait before attempt `attempt + 1` after `attempt` failures: exponential, capped at 5 minutes. */
export function backoffMs(config: Pick<AlertsConfig, 'webhookBackoffMs'>, failures: number): number {
  return Math.min(config.webhookBackoffMs * 2 ** Math.max(failures - 1, 0), 300_000);
}

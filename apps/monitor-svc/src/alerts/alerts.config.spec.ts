import { ConfigError } from '@kailash/service-kit';
import { backoffMs, loadAlertsConfig } from './alerts.config';

describe('alerts config', () => {
  it('has Prometheus-like defaults and reads the variables', () => {
    expect(loadAlertsConfig({})).toEqual({
      evaluationMs: 1000,
      webhookTimeoutMs: 5000,
      webhookAttempts: 5,
      webhookBackoffMs: 1000,
    });
    expect(
      loadAlertsConfig({ ALERT_EVALUATION_MS: '500', ALERT_WEBHOOK_URL: 'https://hooks.example/a' }),
    ).toMatchObject({
      evaluationMs: 500,
      defaultWebhookUrl: 'https://hooks.example/a',
    });
  });

  it('refuses a bad value naming the variable', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadAlertsConfig(env);
        return 'accepted';
      } catch (error) {
        return error instanceof ConfigError ? error.message : String(error);
      }
    };
    expect(problems({ ALERT_WEBHOOK_URL: 'ftp://x' })).toContain('ALERT_WEBHOOK_URL');
    expect(problems({ ALERT_EVALUATION_MS: '5' })).toContain('ALERT_EVALUATION_MS');
    expect(problems({ ALERT_WEBHOOK_ATTEMPTS: '0' })).toContain('ALERT_WEBHOOK_ATTEMPTS');
  });

  it('doubles the webhook backoff after each failure, up to 5 minutes', () => {
    const config = { webhookBackoffMs: 1000 };
    expect([1, 2, 3, 4, 20].map((failures) => backoffMs(config, failures))).toEqual([
      1000, 2000, 4000, 8000, 300_000,
    ]);
  });
});

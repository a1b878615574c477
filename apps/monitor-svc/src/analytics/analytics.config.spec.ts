import { ConfigError } from '@kailash/service-kit';
import { DEFAULT_ANALYTICS_CONFIG, loadAnalyticsConfig } from './analytics.config';

describe('analytics config', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_ANALYTICS_CONFIG).toEqual({
      tickMs: 15_000,
      closeGraceMs: 60_000,
      backfillMs: 86_400_000,
      maxBucketsPerTick: 1440,
      threshold: 0.72,
      cpuLabels: { scope: 'host' },
    });
  });

  it('reads the variables and refuses a bad one, naming it', () => {
    expect(
      loadAnalyticsConfig({ ANALYTICS_TICK_MS: '500', ANALYTICS_ANOMALY_THRESHOLD: '0.9' }),
    ).toMatchObject({
      tickMs: 500,
      threshold: 0.9,
    });
    expect(() => loadAnalyticsConfig({ ANALYTICS_ANOMALY_THRESHOLD: '1.5' })).toThrow(ConfigError);
    expect(() => loadAnalyticsConfig({ ANALYTICS_TICK_MS: 'soon' })).toThrow(/ANALYTICS_TICK_MS/);
  });

  it('reads ANALYTICS_CPU_LABELS as JSON labels and names it when it is not', () => {
    expect(loadAnalyticsConfig({ ANALYTICS_CPU_LABELS: '{"scope":"process"}' }).cpuLabels).toEqual({
      scope: 'process',
    });
    expect(() => loadAnalyticsConfig({ ANALYTICS_CPU_LABELS: 'scope=process' })).toThrow(
      /ANALYTICS_CPU_LABELS: must be JSON/,
    );
    expect(() => loadAnalyticsConfig({ ANALYTICS_CPU_LABELS: '{"scope":3}' })).toThrow(
      /ANALYTICS_CPU_LABELS/,
    );
  });
});

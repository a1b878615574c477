import { ConfigError } from '@kailash/service-kit';
import { DAY_MS, keptWindow, partitionName } from './partitions';
import { loadSeriesConfig } from './series.config';

describe('series config', () => {
  it('keeps raw samples 7 days unless RETENTION_RAW says otherwise', () => {
    expect(loadSeriesConfig({}).partitions.retentionMs).toBe(7 * DAY_MS);
    expect(loadSeriesConfig({ RETENTION_RAW: '36h' }).partitions.retentionMs).toBe(36 * 3600_000);
    expect(loadSeriesConfig({}).partitions.rollupRetentionMs).toBe(30 * DAY_MS);
    expect(loadSeriesConfig({ RETENTION_1M: '90d' }).partitions.rollupRetentionMs).toBe(90 * DAY_MS);
  });

  it.each(['7', '7 days', '-1d', '30m'])('refuses RETENTION_RAW=%s naming the variable', (value) => {
    expect(() => loadSeriesConfig({ RETENTION_RAW: value })).toThrow(ConfigError);
    expect(() => loadSeriesConfig({ RETENTION_RAW: value })).toThrow(/RETENTION_RAW/);
  });
});

describe('day partitions', () => {
  it('names the UTC day a timestamp falls in', () => {
    expect(partitionName(Date.parse('2026-12-01T23:59:59.999Z'))).toBe('metric_samples_p20261201');
    expect(partitionName(Date.parse('2026-12-02T00:00:00.000Z'))).toBe('metric_samples_p20261202');
  });

  it('keeps samples from the retention cut-off to the end of the last day made ahead', () => {
    const now = Date.parse('2026-12-01T08:00:00.000Z');
    expect(
      keptWindow({ retentionMs: 7 * DAY_MS, rollupRetentionMs: 30 * DAY_MS, daysAhead: 2 }, now),
    ).toEqual({
      fromMs: Date.parse('2026-11-24T08:00:00.000Z'),
      toMs: Date.parse('2026-12-04T00:00:00.000Z'),
    });
  });
});

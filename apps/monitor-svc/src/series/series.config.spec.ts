import { ConfigError } from '@kailash/service-kit';
import {
  DAY_MS,
  DEFAULT_PARTITION_POLICY,
  keptWindow,
  partitionName,
  ROLLUPS_1H,
  ROLLUPS_1M,
  tablePartitionName,
} from './partitions';
import { loadSeriesConfig } from './series.config';

describe('series config', () => {
  it('keeps raw samples 7 days unless RETENTION_RAW says otherwise', () => {
    expect(loadSeriesConfig({}).partitions.retentionMs).toBe(7 * DAY_MS);
    expect(loadSeriesConfig({ RETENTION_RAW: '36h' }).partitions.retentionMs).toBe(36 * 3600_000);
    expect(loadSeriesConfig({}).partitions.rollupRetentionMs).toBe(30 * DAY_MS);
    expect(loadSeriesConfig({ RETENTION_1M: '90d' }).partitions.rollupRetentionMs).toBe(90 * DAY_MS);
    expect(loadSeriesConfig({}).partitions.hourlyRetentionMs).toBe(365 * DAY_MS);
    expect(loadSeriesConfig({ RETENTION_1H: '730d' }).partitions.hourlyRetentionMs).toBe(730 * DAY_MS);
  });

  it('refuses rollups kept shorter than what they summarise, naming the variable', () => {
    expect(() => loadSeriesConfig({ RETENTION_1M: '3d' })).toThrow(
      /RETENTION_1M: must be at least RETENTION_RAW/,
    );
    expect(() => loadSeriesConfig({ RETENTION_1H: '20d' })).toThrow(
      /RETENTION_1H: must be at least RETENTION_1M/,
    );
  });

  it('takes the pull size and expiry, and refuses a pull shorter than NATS allows, naming the variable', () => {
    expect(loadSeriesConfig({}).ingest).toEqual({ batchSize: 1000, pullExpiresMs: 5000 });
    expect(loadSeriesConfig({ INGEST_BATCH_SIZE: '250', INGEST_PULL_EXPIRES_MS: '2000' }).ingest).toEqual({
      batchSize: 250,
      pullExpiresMs: 2000,
    });
    expect(() => loadSeriesConfig({ INGEST_PULL_EXPIRES_MS: '500' })).toThrow(/INGEST_PULL_EXPIRES_MS/);
    expect(() => loadSeriesConfig({ INGEST_BATCH_SIZE: '0' })).toThrow(/INGEST_BATCH_SIZE/);
    expect(() => loadSeriesConfig({ INGEST_BATCH_SIZE: 'many' })).toThrow(/INGEST_BATCH_SIZE/);
    expect(() => loadSeriesConfig({ ROLLUP_GRACE_MS: '-1' })).toThrow(/ROLLUP_GRACE_MS/);
    expect(() => loadSeriesConfig({ ROLLUP_MATERIALISE_MS: '10' })).toThrow(/ROLLUP_MATERIALISE_MS/);
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

  it('names rollup partitions by day (1-minute) and by month (1-hour)', () => {
    const at = Date.parse('2026-12-31T23:59:59.999Z');
    expect(tablePartitionName(ROLLUPS_1M, at)).toBe('metric_rollups_1m_p20261231');
    expect(tablePartitionName(ROLLUPS_1H, at)).toBe('metric_rollups_1h_p202612');
    expect(tablePartitionName(ROLLUPS_1H, at + 1)).toBe('metric_rollups_1h_p202701');
  });

  it('keeps samples from the retention cut-off to the end of the last day made ahead', () => {
    const now = Date.parse('2026-12-01T08:00:00.000Z');
    expect(keptWindow({ ...DEFAULT_PARTITION_POLICY, retentionMs: 7 * DAY_MS, daysAhead: 2 }, now)).toEqual({
      fromMs: Date.parse('2026-11-24T08:00:00.000Z'),
      toMs: Date.parse('2026-12-04T00:00:00.000Z'),
    });
  });
});

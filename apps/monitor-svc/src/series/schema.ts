import { WATERMARK_DDL, WATERMARK_SEED } from './rollup-watermark';

/**
 * The time-series tables as the migrations leave them (tests create them from this list). Raw
 * samples and both rollup tables are range-partitioned by time, so retention drops whole
 * partitions (no row-by-row DELETE, no vacuum debt). Rollups are folded from the raw rows by the
 * materialiser once a minute is closed (see rollup-materialiser.ts), up to the watermark.
 */

export const SERIES_TABLE_DDL = `CREATE TABLE metric_series (
    id bigserial PRIMARY KEY,
    edge_id text NOT NULL,
    metric text NOT NULL,
    labels jsonb NOT NULL,
    -- The labels as canonical JSON (sorted keys): the identity, since jsonb equality is not indexable cheaply.
    labels_key text NOT NULL,
    last_at timestamptz,
    last_value double precision,
    UNIQUE (metric, edge_id, labels_key)
  )`;

export const RAW_SAMPLES_DDL = [
  `CREATE TABLE metric_samples (
    series_id bigint NOT NULL,
    at timestamptz NOT NULL,
    value double precision NOT NULL
  ) PARTITION BY RANGE (at)`,
  'CREATE INDEX metric_samples_series_at ON metric_samples (series_id, at)',
] as const;

/** The materialiser reads raw rows by time alone; a BRIN index on append-ordered time is tiny. */
export const RAW_SAMPLES_AT_BRIN = 'CREATE INDEX metric_samples_at_brin ON metric_samples USING brin (at)';

/** A rollup table (1-minute or 1-hour): one row per series and bucket, partitioned by bucket. */
export function rollupTableDdl(table: string): string {
  return `CREATE TABLE ${table} (
    series_id bigint NOT NULL,
    bucket timestamptz NOT NULL,
    count bigint NOT NULL,
    sum double precision NOT NULL,
    min double precision,
    max double precision,
    last double precision,
    last_at timestamptz,
    -- A DDSketch in its protobuf form: rollups of any range merge into one sketch for quantiles.
    sketch bytea,
    PRIMARY KEY (series_id, bucket)
  ) PARTITION BY RANGE (bucket)`;
}

export const ROLLUP_TABLES = ['metric_rollups_1m', 'metric_rollups_1h'] as const;

/** Stored with each rollup row: its sketch's answer for the quantile aggregations. */
export const ROLLUP_QUANTILE_COLUMNS = ['p50', 'p95', 'p99'] as const;

export function rollupQuantilesDdl(table: string): string {
  const columns = ROLLUP_QUANTILE_COLUMNS.map(
    (column) => `ADD COLUMN IF NOT EXISTS ${column} double precision`,
  );
  return `ALTER TABLE ${table} ${columns.join(', ')}`;
}

export const ROLLUP_QUANTILES_DDL = ROLLUP_TABLES.map(rollupQuantilesDdl);

export const SERIES_SCHEMA_DDL = [
  SERIES_TABLE_DDL,
  ...RAW_SAMPLES_DDL,
  ...ROLLUP_TABLES.map(rollupTableDdl),
  RAW_SAMPLES_AT_BRIN,
  ...WATERMARK_DDL,
  WATERMARK_SEED,
  ...ROLLUP_QUANTILES_DDL,
] as const;

/**
 * The time-series tables as the migrations leave them (tests create them from this list). Raw
 * samples and both rollup tables are range-partitioned by time, so retention drops whole
 * partitions (no row-by-row DELETE, no vacuum debt). Rollups are updated in the same transaction
 * as the raw rows they summarise.
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

export const SERIES_SCHEMA_DDL = [
  SERIES_TABLE_DDL,
  ...RAW_SAMPLES_DDL,
  rollupTableDdl('metric_rollups_1m'),
  rollupTableDdl('metric_rollups_1h'),
] as const;

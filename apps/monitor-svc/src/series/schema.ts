/**
 * The time-series tables. Raw samples are range-partitioned by day so retention drops whole
 * partitions (no row-by-row DELETE, no vacuum debt); 1-minute rollups are kept apart and updated
 * in the same transaction as the raw rows they summarise.
 */
export const SERIES_SCHEMA_DDL = [
  `CREATE TABLE metric_series (
    id bigserial PRIMARY KEY,
    edge_id text NOT NULL,
    metric text NOT NULL,
    labels jsonb NOT NULL,
    -- The labels as canonical JSON (sorted keys): the identity, since jsonb equality is not indexable cheaply.
    labels_key text NOT NULL,
    last_at timestamptz,
    last_value double precision,
    UNIQUE (metric, edge_id, labels_key)
  )`,
  `CREATE TABLE metric_samples (
    series_id bigint NOT NULL,
    at timestamptz NOT NULL,
    value double precision NOT NULL
  ) PARTITION BY RANGE (at)`,
  'CREATE INDEX metric_samples_series_at ON metric_samples (series_id, at)',
  `CREATE TABLE metric_rollups_1m (
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
  )`,
  // Rollup retention deletes by age across all series.
  'CREATE INDEX metric_rollups_1m_bucket ON metric_rollups_1m (bucket)',
] as const;

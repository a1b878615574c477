/**
 * Tables of live analytics. A selection rule says whether series of an edge (or every edge, `*`)
 * and a metric (or every metric, `*`) are analysed. A cursor holds, per analysed series, the last
 * 1-minute bucket fed to its detector and the detector's state after it, written together (with
 * the values the pass added to the detector's history) so a restart resumes exactly there.
 * Anomalies double as the outbox of `anomaly.detected`: `published_at` is set once the event is
 * on the stream.
 */
export const ANALYTICS_SCHEMA_DDL = [
  `CREATE TABLE analytics_selections (
    edge_scope text NOT NULL,
    metric_scope text NOT NULL,
    analysed boolean NOT NULL,
    actor text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (edge_scope, metric_scope)
  )`,
  `CREATE TABLE analytics_cursors (
    series_id bigint PRIMARY KEY,
    last_bucket timestamptz NOT NULL,
    detector jsonb NOT NULL,
    updated_at timestamptz NOT NULL
  )`,
  // The values each detector took in, numbered from 1; its history is the newest of them.
  `CREATE TABLE analytics_detector_values (
    series_id bigint NOT NULL,
    n bigint NOT NULL,
    value double precision NOT NULL,
    PRIMARY KEY (series_id, n)
  )`,
  `CREATE TABLE analytics_anomalies (
    series_id bigint NOT NULL,
    bucket timestamptz NOT NULL,
    edge_id text NOT NULL,
    metric text NOT NULL,
    labels jsonb NOT NULL,
    value double precision NOT NULL,
    score double precision NOT NULL,
    detector text NOT NULL,
    detected_at timestamptz NOT NULL,
    published_at timestamptz,
    PRIMARY KEY (series_id, bucket)
  )`,
  'CREATE INDEX analytics_anomalies_edge_bucket ON analytics_anomalies (edge_id, bucket)',
  'CREATE INDEX analytics_anomalies_bucket ON analytics_anomalies (bucket)',
  'CREATE INDEX analytics_anomalies_unpublished ON analytics_anomalies (series_id, bucket) WHERE published_at IS NULL',
] as const;

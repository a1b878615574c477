import type { SqlExecutor } from '@kailash/backbone';
import type { Anomaly, AnomalyQuery } from '@kailash/contracts';
import { isPercentSeries } from '../health/metric-units';
import type { SeriesStat } from './recommendations';

/** A row of analytics_anomalies as both the queries and the outbox read it. */
export interface AnomalyRow {
  edge_id: string;
  metric: string;
  labels: Record<string, string>;
  bucket: Date;
  value: number;
  score: number;
  detector: string;
  detected_at: Date;
}

/** Stored anomalies, newest bucket first. */
export async function findAnomalies(db: SqlExecutor, query: AnomalyQuery): Promise<Anomaly[]> {
  const rows = await db.query<AnomalyRow>(
    `SELECT ${ANOMALY_COLUMNS} FROM analytics_anomalies
      WHERE ($1::text IS NULL OR edge_id = $1) AND ($2::text IS NULL OR metric = $2)
        AND ($3::timestamptz IS NULL OR bucket >= $3) AND ($4::timestamptz IS NULL OR bucket < $4)
      ORDER BY bucket DESC, series_id LIMIT $5`,
    [query.edgeId ?? null, query.metric ?? null, query.from ?? null, query.to ?? null, query.limit],
  );
  return rows.map(toAnomaly);
}

export const ANOMALY_COLUMNS = 'edge_id, metric, labels, bucket, value, score, detector, detected_at';

export function toAnomaly(row: AnomalyRow): Anomaly {
  return {
    edgeId: row.edge_id,
    metric: row.metric,
    labels: row.labels,
    bucket: row.bucket.toISOString(),
    value: row.value,
    score: row.score,
    detector: row.detector,
    detectedAt: row.detected_at.toISOString(),
  };
}

export interface SeriesStatRow extends SeriesStat {
  readonly id: string;
}

/**
 * Mean, p95 and max of the per-minute means of the utilisation metrics over a window, per series.
 * The p95 is of minute means (sustained load), not of raw samples: a one-sample spike does not
 * make an edge look saturated.
 */
export async function utilisationStats(
  db: SqlExecutor,
  edgeId: string | undefined,
  fromMs: number,
  toMs: number,
): Promise<SeriesStatRow[]> {
  const rows = await db.query<{
    id: string;
    edge_id: string;
    metric: string;
    labels: Record<string, string>;
    mean: number;
    p95: number;
    max: number;
    points: string;
  }>(
    `SELECT s.id::text AS id, s.edge_id, s.metric, s.labels,
            sum(r.sum) / sum(r.count) AS mean,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY r.sum / r.count) AS p95,
            max(r.max) AS max, count(*) AS points
       FROM metric_series s JOIN metric_rollups_1m r ON r.series_id = s.id
      WHERE s.metric IN ('cpu', 'memory', 'error_rate') AND ($1::text IS NULL OR s.edge_id = $1)
        AND r.bucket >= $2 AND r.bucket < $3 AND r.count > 0
      GROUP BY s.id`,
    [edgeId ?? null, new Date(fromMs), new Date(toMs)],
  );
  return rows
    .map((row) => ({
      id: row.id,
      edgeId: row.edge_id,
      metric: row.metric,
      labels: row.labels,
      mean: Number(row.mean),
      p95: Number(row.p95),
      max: Number(row.max),
      points: Number(row.points),
    }))
    .filter((row) => row.metric === 'error_rate' || isPercentSeries(row));
}

/**
 * Whether a utilisation stat counts: a percentage cpu series (metric-units.ts) carrying
 * `cpuLabels`, memory as a percentage, any error rate. A series that is not a percentage never
 * counts, whatever labels are configured.
 */
export function countsAsUtilisation(
  stat: Pick<SeriesStat, 'metric' | 'labels'>,
  cpuLabels: Readonly<Record<string, string>>,
): boolean {
  if (stat.metric === 'error_rate') return true;
  if (!isPercentSeries(stat)) return false;
  return (
    stat.metric !== 'cpu' || Object.entries(cpuLabels).every(([key, value]) => stat.labels[key] === value)
  );
}

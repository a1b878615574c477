import type { SqlExecutor } from '@kailash/backbone';
import type { DataOf, EdgeHealthChanged, HealthReason, HealthStatus } from '@kailash/contracts';
import type { EdgeVerdict, LatestSample, RuleTrack } from './health-verdict';

/** A verdict as stored, with when it was made and when utilisation was last reported. */
export interface StoredVerdict extends EdgeVerdict {
  readonly edgeId: string;
  readonly evaluatedMs: number;
  readonly utilisationReportedMs: number | null;
}

export type HealthChangeData = DataOf<typeof EdgeHealthChanged>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const msOf = (value: Date | null) => (value === null ? null : value.getTime());

/** Every series' latest sample, per edge (what `metric_series` keeps beside each series). */
export async function latestSamplesByEdge(tx: SqlExecutor): Promise<Map<string, LatestSample[]>> {
  const rows = await tx.query<{
    edge_id: string;
    metric: string;
    labels: Record<string, string>;
    value: number;
    at: Date;
  }>(
    `SELECT edge_id, metric, labels, last_value AS value, last_at AS at
       FROM metric_series WHERE last_at IS NOT NULL`,
  );
  const byEdge = new Map<string, LatestSample[]>();
  for (const row of rows) {
    const samples = byEdge.get(row.edge_id) ?? [];
    samples.push({ metric: row.metric, labels: row.labels, value: row.value, atMs: row.at.getTime() });
    byEdge.set(row.edge_id, samples);
  }
  return byEdge;
}

interface VerdictRow {
  edge_id: string;
  status: HealthStatus;
  since: Date;
  change: number;
  rules: Record<string, RuleTrack>;
  reasons: HealthReason[];
  last_sample_at: Date | null;
  evaluated_at: Date;
  utilisation_reported_at: Date | null;
}

/** Stored verdicts: all, or one edge's; optionally only those of one status. */
export async function loadVerdicts(
  tx: SqlExecutor,
  filter: { edgeId?: string; status?: HealthStatus } = {},
): Promise<StoredVerdict[]> {
  const rows = await tx.query<VerdictRow>(
    `SELECT * FROM edge_health
      WHERE ($1::text IS NULL OR edge_id = $1) AND ($2::text IS NULL OR status = $2)
      ORDER BY edge_id`,
    [filter.edgeId ?? null, filter.status ?? null],
  );
  return rows.map((row) => ({
    edgeId: row.edge_id,
    status: row.status,
    sinceMs: row.since.getTime(),
    change: row.change,
    rules: row.rules,
    reasons: row.reasons,
    lastSampleMs: msOf(row.last_sample_at),
    evaluatedMs: row.evaluated_at.getTime(),
    utilisationReportedMs: msOf(row.utilisation_reported_at),
  }));
}

/** Writes every verdict of one evaluation in one statement, whatever the fleet's size. */
export async function saveVerdicts(tx: SqlExecutor, verdicts: readonly StoredVerdict[]): Promise<void> {
  if (verdicts.length === 0) return;
  const records = verdicts.map((v) => ({
    edge_id: v.edgeId,
    status: v.status,
    since: iso(v.sinceMs),
    change: v.change,
    rules: v.rules,
    reasons: v.reasons,
    last_sample_at: iso(v.lastSampleMs),
    evaluated_at: iso(v.evaluatedMs),
    utilisation_reported_at: iso(v.utilisationReportedMs),
  }));
  await tx.query(
    `INSERT INTO edge_health
       SELECT * FROM jsonb_populate_recordset(NULL::edge_health, $1::jsonb)
     ON CONFLICT (edge_id) DO UPDATE SET
       status = EXCLUDED.status, since = EXCLUDED.since, change = EXCLUDED.change,
       rules = EXCLUDED.rules, reasons = EXCLUDED.reasons, last_sample_at = EXCLUDED.last_sample_at,
       evaluated_at = EXCLUDED.evaluated_at, utilisation_reported_at = EXCLUDED.utilisation_reported_at`,
    [JSON.stringify(records)],
  );
}

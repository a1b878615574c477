import type { SqlExecutor } from '@kailash/backbone';
import type { EdgeEvidence } from './recommendations';

type Health = NonNullable<EdgeEvidence['health']>;

interface HealthRow {
  edge_id: string;
  status: string;
  reasons: unknown;
}

/**
 * The edges' health verdicts, when monitor-svc's health slice keeps them (table `edge_health`):
 * read by name so analytics works with or without it. A reason is told as its metric, value,
 * comparison and threshold when the row holds them.
 */
export async function readHealth(db: SqlExecutor, edgeIds: readonly string[]): Promise<Map<string, Health>> {
  const verdicts = new Map<string, Health>();
  if (edgeIds.length === 0) return verdicts;
  const [table] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('edge_health') IS NOT NULL AS present",
  );
  if (!table?.present) return verdicts;
  const rows = await db.query<HealthRow>(
    'SELECT edge_id, status, reasons FROM edge_health WHERE edge_id = ANY($1::text[])',
    [edgeIds],
  );
  for (const row of rows) verdicts.set(row.edge_id, { status: row.status, reason: describe(row.reasons) });
  return verdicts;
}

function describe(reasons: unknown): string | undefined {
  if (!Array.isArray(reasons) || reasons.length === 0) return undefined;
  return reasons
    .map((r: Record<string, unknown>) =>
      [r['metric'], r['value'], r['comparison'], r['threshold']].filter((x) => x !== undefined).join(' '),
    )
    .join('; ');
}

import type { SqlExecutor } from '@kailash/backbone';
import type { HealthReason } from '@kailash/contracts';
import { loadVerdicts } from '../health/health-store';
import type { EdgeHealthInput } from './recommendations';

/** The health slice's current verdict per edge (one edge, or all), as the recommendation rules take it. */
export async function readHealth(db: SqlExecutor, edgeId?: string): Promise<Map<string, EdgeHealthInput>> {
  const verdicts = await loadVerdicts(db, edgeId ? { edgeId } : {});
  return new Map(
    verdicts.map((v) => [
      v.edgeId,
      { status: v.status, reason: describe(v.reasons), reasons: [...v.reasons], sinceMs: v.sinceMs },
    ]),
  );
}

function describe(reasons: readonly HealthReason[]): string | undefined {
  if (reasons.length === 0) return undefined;
  return reasons.map((r) => `${r.metric} ${r.value} ${r.comparison} ${r.threshold}`).join('; ');
}

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
      { status: v.status, reason: describeReasons(v.reasons), reasons: [...v.reasons], sinceMs: v.sinceMs },
    ]),
  );
}

/**
 * The reasons in words. A level stays in force for its rule's `for` after the value is back on the
 * good side, so the value is given as what it is now and the level with the breach that brought it.
 */
export function describeReasons(reasons: readonly HealthReason[]): string | undefined {
  if (reasons.length === 0) return undefined;
  return reasons
    .map(
      (r) =>
        `${r.metric} ${Number(r.value.toPrecision(3))}, ${r.level} for ${r.comparison} ${r.threshold} since ${r.since}`,
    )
    .join('; ');
}

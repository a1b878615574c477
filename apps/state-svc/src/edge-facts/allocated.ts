import type { EdgeFact } from '../placement/edge-facts';

export interface StoredEdgeFacts {
  readonly edgeId: string;
  readonly health: string | null;
  readonly utilisation: Readonly<Record<string, number>> | null;
  readonly version: number;
}

/** The resources monitoring measures, named as edges declare their capacity. */
const MEASURED = ['cpu', 'memory', 'storage'] as const;

/**
 * The generic fact placement takes: not healthy only while monitoring says `unhealthy` (an edge
 * monitoring knows nothing of, `unknown`, stays placeable: liveness is the lease's business), and
 * per measured resource the share in use times the edge's declared capacity of it. Undefined
 * `allocated` when the capacity is not known (yet): the health part still applies.
 */
export function edgeFactOf(
  stored: StoredEdgeFacts,
  capacity: Readonly<Record<string, number>> | undefined,
): EdgeFact {
  const fact: { -readonly [K in keyof EdgeFact]: EdgeFact[K] } = { edgeId: stored.edgeId };
  if (stored.health !== null) fact.healthy = stored.health !== 'unhealthy';
  if (stored.utilisation && capacity) {
    const allocated: Record<string, number> = {};
    for (const resource of MEASURED) {
      const share = stored.utilisation[resource];
      const declared = capacity[resource];
      if (share !== undefined && declared !== undefined && declared > 0)
        allocated[resource] = share * declared;
    }
    fact.allocated = allocated;
  }
  return fact;
}

import { createHash } from 'node:crypto';

/**
 * Rendezvous (highest-random-weight) hashing: every edge gets a pseudo-random weight for the
 * object and the heaviest owns it. When an edge leaves, only its objects move (each to its own
 * runner-up); when one joins, it takes only the objects it now outweighs — about 1/N of them.
 * The original hashed md5 modulo the edge count, which reshuffles nearly everything on any change.
 *
 * Chosen over a ring: no virtual-node count to tune for balance, and O(N) per lookup is cheap for
 * fleets of thousands of edges.
 */
export function rendezvousWeight(objectId: string, edgeId: string): number {
  // 48 bits of SHA-256: uniform, the same on every instance and release, and a safe integer.
  return createHash('sha256').update(objectId).update('\0').update(edgeId).digest().readUIntBE(0, 6);
}

/** The owner edge of an object among the candidates, or null when there is none. */
export function chooseOwner(objectId: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestWeight = -1;
  for (const edgeId of candidates) {
    const weight = rendezvousWeight(objectId, edgeId);
    // Ties (1 in 2^48) go to the smaller id, so the choice never depends on the candidates' order.
    if (weight > bestWeight || (weight === bestWeight && best !== null && edgeId < best)) {
      best = edgeId;
      bestWeight = weight;
    }
  }
  return best;
}

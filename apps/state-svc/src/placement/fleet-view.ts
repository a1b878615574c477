import type { FleetEdge } from './engine/fleet';
import { Fleet } from './engine/fleet';
import type { EdgeFact } from './edge-facts';
import { withFacts } from './edge-facts';

/**
 * The fleet placement ranks, folded from deltas of the edges projection and from edge facts other
 * services report (load, health). A delta changes the fleet in place, one edge at a time, each an
 * O(log n) update of the index; the index is built whole only by the first load and when the
 * projection itself was rebuilt from scratch — the second is what `fullRebuilds` counts. Pure
 * bookkeeping, apart from the store that feeds it, so it is unit-tested on its own.
 */
export class FleetView {
  private fleet = new Fleet();
  private readonly facts = new Map<string, EdgeFact>();
  private rebuilds = 0;
  private loaded = false;

  get current(): Fleet {
    return this.fleet;
  }

  /** Position the next delta should start after. */
  get position(): number {
    return this.fleet.position;
  }

  /** Times the whole index was rebuilt after the first load (only when the projection restarted from scratch). */
  get fullRebuilds(): number {
    return this.rebuilds;
  }

  /**
   * Applies edges changed up to `position`. A position behind the current one means the projection was
   * rebuilt from scratch: the caller must pass a full load (`full`), which replaces everything.
   */
  apply(position: number, changed: readonly FleetEdge[], full = false): Fleet {
    if (full || !this.loaded) return this.load(position, changed, full);
    for (const edge of changed) this.fleet.upsert(withFacts(edge, this.facts.get(edge.edgeId)));
    this.fleet.position = position;
    return this.fleet;
  }

  /**
   * Lays a fact from another service over an edge (merged with earlier facts of the same edge). A fact
   * for an edge not known yet is kept and applied once the projection describes the edge.
   */
  applyFact(fact: EdgeFact): void {
    const merged: EdgeFact = { ...this.facts.get(fact.edgeId), ...definedOnly(fact), edgeId: fact.edgeId };
    this.facts.set(fact.edgeId, merged);
    // The fleet's edge is the projection's with earlier facts over it; the merged fact overrides them all.
    const edge = this.fleet.get(fact.edgeId);
    if (edge) this.fleet.upsert(withFacts(edge, merged));
  }

  private load(position: number, edges: readonly FleetEdge[], full: boolean): Fleet {
    // Both the first load and a full one carry every edge (changed after position 0).
    if (this.loaded && full) this.rebuilds += 1;
    const all = edges.map((edge) => withFacts(edge, this.facts.get(edge.edgeId)));
    this.fleet = new Fleet(all, position);
    this.loaded = true;
    return this.fleet;
  }
}

function definedOnly(fact: EdgeFact): Partial<EdgeFact> {
  return Object.fromEntries(Object.entries(fact).filter(([, value]) => value !== undefined));
}

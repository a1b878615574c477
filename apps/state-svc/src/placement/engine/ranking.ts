import type { FactorWeights } from '@kailash/contracts';
import type { FleetEdge } from './fleet';

/** One feasible edge with its factor scores and weighted total. */
export interface ScoredEdge {
  readonly edge: FleetEdge;
  readonly km: number;
  readonly total: number;
  readonly scores: FactorWeights;
}

/** Higher total first; nearer first on a tie, then by id, so equal fleets always rank the same. */
export function outranks(a: ScoredEdge, b: ScoredEdge): boolean {
  if (a.total !== b.total) return a.total > b.total;
  if (a.km !== b.km) return a.km < b.km;
  return a.edge.edgeId < b.edge.edgeId;
}

/** The best k seen so far, kept sorted; k is small (≤ 100), so insertion beats a heap. */
export class TopK {
  private readonly ranked: ScoredEdge[] = [];

  constructor(private readonly k: number) {}

  get full(): boolean {
    return this.ranked.length >= this.k;
  }

  /** Total of the k-th best; -Infinity until k edges have been offered. */
  get threshold(): number {
    return this.full ? (this.ranked[this.ranked.length - 1] as ScoredEdge).total : -Infinity;
  }

  offer(candidate: ScoredEdge): void {
    const last = this.ranked[this.ranked.length - 1];
    if (this.full && last && !outranks(candidate, last)) return;
    let at = this.ranked.length;
    while (at > 0 && outranks(candidate, this.ranked[at - 1] as ScoredEdge)) at -= 1;
    this.ranked.splice(at, 0, candidate);
    if (this.ranked.length > this.k) this.ranked.pop();
  }

  best(): readonly ScoredEdge[] {
    return this.ranked;
  }
}

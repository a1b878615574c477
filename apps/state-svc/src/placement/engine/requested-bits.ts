import type { FleetColumns } from './fleet-columns';
import { popcount } from './key-bitsets';

/**
 * A request's data sets as the fleet's bits: one per requested name that some edge has held (a name
 * never seen maps to no bit, and no edge holds it). `count` gives how many of them two data-set words
 * have set, repeats counted — exact when no two requested names share a bit, an upper bound otherwise
 * (past 64 names bits are shared). With distinct bits it is two popcounts, which is what bounds and the
 * search run per edge.
 */
export class RequestedBits {
  /** Bits of the requested names that map to one, in request order, repeats kept. */
  readonly bits: readonly number[];
  /** The requested bits as the two data-set words. */
  readonly low: number;
  readonly high: number;
  private readonly distinctBits: boolean;

  constructor(columns: FleetColumns, names: readonly string[]) {
    this.bits = names.map((name) => columns.dataSetBit(name)).filter((bit) => bit >= 0);
    let low = 0;
    let high = 0;
    for (const bit of this.bits) {
      if (bit < 32) low |= 1 << bit;
      else high |= 1 << (bit - 32);
    }
    this.low = low;
    this.high = high;
    this.distinctBits = popcount(low) + popcount(high) === this.bits.length;
  }

  /** Whether no two requested names share a bit, so `count` is exact. */
  get distinct(): boolean {
    return this.distinctBits;
  }

  count(low: number, high: number): number {
    if (this.distinctBits) return popcount(low & this.low) + popcount(high & this.high);
    let held = 0;
    for (const bit of this.bits) if ((bit < 32 ? low : high) & (1 << (bit % 32))) held += 1;
    return held;
  }
}

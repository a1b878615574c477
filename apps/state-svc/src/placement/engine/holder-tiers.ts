import type { NodeSummaries } from './node-summaries';
import type { RequestedBits } from './requested-bits';
import { popcount } from './key-bitsets';

/** Tiers given their own rate; an edge holding more requested sets pays at least the last one's. */
const RATED_TIERS = 8;
/** Per requested bit (by index), requested bits held with it below the node, and its holders' cheapest rate. */
const together = new Int32Array(64);
const rates = new Float64Array(64);
/** Requested-bit indices by their rate, cheapest first. */
const byRate = new Int32Array(64);

/**
 * The least rate an edge below a node can have for each number of requested data sets it holds, so
 * the data-locality reward and the cost ceiling come from the same edges: an edge holding h requested
 * sets is a holder of each of them, so its rate is at least each one's holders' cheapest and thus at
 * least the h-th cheapest of those rates; and each of its sets is held, in its co-held row, with at
 * least h requested sets, so only those sets count. One request's view of the rows: the rows of its
 * bits are looked up once, not at every node.
 */
export class HolderTiers {
  /** Per requested bit (by index in `requested.bits`): its co-held row. */
  private readonly coHeld: (Int32Array | undefined)[];
  /**
   * Per requested bit, the rows of its holders' cheapest rates to take the largest of: one per required
   * kept zone (an edge passing the filters holds each, so it is among those holders in every one), or
   * the zone-free row when the request requires none. A missing row: no edge with a known rate holds it.
   */
  private readonly rates: (Float32Array | undefined)[][];

  /** `zoned`: the required certification zones kept per node, by position (`zonedPositions`). */
  constructor(
    private readonly summaries: NodeSummaries,
    private readonly requested: RequestedBits,
    zoned: readonly number[] = [],
  ) {
    this.coHeld = requested.bits.map((bit) => summaries.coHeld[bit]);
    this.rates = requested.bits.map((bit) =>
      zoned.length === 0
        ? [summaries.holderCosts.rows[bit]]
        : zoned.map((zone) => summaries.zoned.holderCosts[zone]?.rows[bit]),
    );
  }

  /**
   * Writes the rate for "holds h" at `out[h - 1]`, for h from 1 to the returned count: the most
   * requested sets one edge below can hold, capped at `mostHeld`. Infinity: no edge with a known rate
   * can hold that many (one with an unknown rate still may).
   */
  at(node: number, mostHeld: number, out: Float64Array): number {
    const { requested, summaries } = this;
    const bits = requested.bits;
    if (!requested.distinct) {
      // Shared bits: the union's count and the cheapest holder of any requested bit, as loose as is safe.
      const union = requested.count(
        summaries.dataSetsLow[node] as number,
        summaries.dataSetsHigh[node] as number,
      );
      const tiers = Math.min(union, mostHeld);
      out.fill(summaries.holderCosts.cheapest(node, bits), 0, tiers);
      return tiers;
    }
    const { low, high } = requested;
    let most = 0;
    for (let i = 0; i < bits.length; i += 1) {
      const row = this.coHeld[i];
      // The row of a bit no edge below holds is zero there, so this is 0 exactly when none does.
      const held = row
        ? popcount((row[2 * node] as number) & low) + popcount((row[2 * node + 1] as number) & high)
        : 0;
      together[i] = held;
      if (held > most) most = held;
      const rate = rateAt(this.rates[i] as (Float32Array | undefined)[], node);
      rates[i] = rate;
      let at = i;
      for (; at > 0 && (rates[byRate[at - 1] as number] as number) > rate; at -= 1)
        byRate[at] = byRate[at - 1] as number;
      byRate[at] = i;
    }
    return rateTiers(bits.length, Math.min(most, mostHeld), out);
  }
}

/** The largest of the rows' rates at a node (Infinity where a row is missing). */
function rateAt(rows: (Float32Array | undefined)[], node: number): number {
  let rate = -Infinity;
  for (const row of rows) {
    const at = row ? (row[node] as number) : Infinity;
    if (at > rate) rate = at;
  }
  return rate;
}

/** The tiers' rates from the per-bit counts and rates (`together`, `rates`, `byRate`). */
function rateTiers(count: number, tiers: number, out: Float64Array): number {
  for (let h = 1; h <= tiers; h += 1) {
    if (h > RATED_TIERS) {
      out[h - 1] = out[h - 2] as number;
      continue;
    }
    let seen = 0;
    let rate = Infinity;
    for (let j = 0; j < count && seen < h; j += 1) {
      const i = byRate[j] as number;
      if ((together[i] as number) >= h && ++seen === h) rate = rates[i] as number;
    }
    // Fewer than h sets are each held with h requested ones: no edge below holds h of them.
    if (seen < h) return h - 1;
    out[h - 1] = rate;
  }
  return tiers;
}

import type { FactorWeights } from '@kailash/contracts';
import type { FilterContext } from './filters';
import type { FleetStats } from './fleet';
import { dataSetBit, type NodeSummaries } from './node-summaries';
import { DEFAULT_RESOURCES, geographicScore, UNKNOWN_SCORE } from './scores';

/** A request worked out once for bounding: which summaries to read and against what. */
export interface RequestBounds {
  readonly weights: FactorWeights;
  readonly requiredMask: number;
  readonly maxCostPerHour: number;
  /** Resources with a positive need, and the per-node most-free array for each (undefined: no active edge has it). */
  readonly needs: readonly { readonly need: number; readonly maxFree: Float64Array | undefined }[];
  /** Resource types the load and capacity scores average over, with their per-node summaries. */
  readonly shares: readonly Float64Array[];
  readonly headroom: readonly { readonly maxFree: Float64Array; readonly roomiest: number }[];
  readonly dataSetBits: readonly number[];
}

export function requestBounds(
  context: FilterContext & { readonly weights: FactorWeights; readonly dataSets: readonly string[] },
  summaries: NodeSummaries,
  stats: FleetStats,
): RequestBounds {
  const requested = Object.keys(context.resources);
  const considered = requested.length > 0 ? requested : DEFAULT_RESOURCES;
  const tracked = considered.filter((resource) => summaries.maxFree.has(resource));
  return {
    weights: context.weights,
    requiredMask: context.requiredMask,
    maxCostPerHour: context.maxCostPerHour ?? Infinity,
    needs: requested
      .filter((resource) => (context.resources[resource] ?? 0) > 0)
      .map((resource) => ({ need: context.resources[resource] ?? 0, maxFree: summaries.maxFree.get(resource) })),
    shares: tracked.map((resource) => summaries.maxFreeShare.get(resource) as Float64Array),
    headroom: tracked.map((resource) => ({ maxFree: summaries.maxFree.get(resource) as Float64Array, roomiest: stats.maxFree[resource] ?? 0 })),
    dataSetBits: context.dataSets.map(dataSetBit),
  };
}

/**
 * The most any edge under a node could total for this request, or -Infinity when none can pass the
 * hard filters (zones, cost cap, capacity). Each factor's ceiling is at least its score for every edge
 * below: geographic from the nearest point of the node's box, the others from the node's summaries.
 */
export function nodeBound(summaries: NodeSummaries, node: number, minKm: number, bounds: RequestBounds): number {
  if (((summaries.zoneUnion[node] as number) & bounds.requiredMask) !== bounds.requiredMask) return -Infinity;
  if ((summaries.minCost[node] as number) > bounds.maxCostPerHour) return -Infinity;
  for (const { need, maxFree } of bounds.needs) if (!maxFree || (maxFree[node] as number) < need) return -Infinity;
  const { weights } = bounds;
  return (
    weights.geographic * geographicScore(minKm) +
    weights.dataLocality * dataLocalityCeiling(summaries, node, bounds.dataSetBits) +
    weights.load * Math.max(UNKNOWN_SCORE, 100 * maxOver(bounds.shares, node)) +
    weights.capacity * capacityCeiling(node, bounds.headroom) +
    weights.cost * (summaries.maxCostScore[node] as number)
  );
}

function dataLocalityCeiling(summaries: NodeSummaries, node: number, bits: readonly number[]): number {
  if (bits.length === 0) return 100;
  let held = 0;
  for (const bit of bits) {
    const word = bit < 32 ? (summaries.dataSetsLow[node] as number) : (summaries.dataSetsHigh[node] as number);
    if (word & (1 << bit % 32)) held += 1;
  }
  return (100 * held) / bits.length;
}

function capacityCeiling(node: number, headroom: RequestBounds['headroom']): number {
  let best = UNKNOWN_SCORE;
  for (const { maxFree, roomiest } of headroom) best = Math.max(best, roomiest > 0 ? Math.min(100, (100 * (maxFree[node] as number)) / roomiest) : 100);
  return best;
}

function maxOver(arrays: readonly Float64Array[], node: number): number {
  let best = 0;
  for (const values of arrays) best = Math.max(best, values[node] as number);
  return best;
}

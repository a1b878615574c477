import type { FactorWeights, PlacementRequest } from '@kailash/contracts';
import { DEFAULT_STRATEGY_WEIGHTS, PLACEMENT_STRATEGIES } from '@kailash/contracts';
import type { FleetColumns, ResourceColumn } from './fleet-columns';
import type { FleetStats } from './fleet';
import { consideredNames, DEFAULT_RESOURCES, UNKNOWN_SCORE } from './scores';

/** The strategies' default weights, one joint ceiling per node for each. */
const REFERENCES: readonly FactorWeights[] = PLACEMENT_STRATEGIES.map(
  (strategy) => DEFAULT_STRATEGY_WEIGHTS[strategy],
);
export const JOINT_REFERENCES = REFERENCES.length;

/**
 * Fleet-wide figures frozen when the fleet was built, so what nodes store never goes stale: each edge's
 * load, capacity and cost as need-free upper bounds (`staticScores`) on fixed scales. A request rescales
 * them to the fleet's current figures (`jointPlan`), which keeps every ceiling sound as they move.
 */
export interface JointScale {
  /** Per default resource, the roomiest free amount (the capacity score's denominator) at build. */
  readonly roomiest: readonly number[];
  readonly maxCost: number;
  readonly spread: number;
}

export function jointScale(stats: FleetStats): JointScale | undefined {
  const roomiest = DEFAULT_RESOURCES.map((name) => stats.maxFree[name] ?? 0);
  const spread = stats.maxCostPerHour - stats.minCostPerHour;
  if (!roomiest.every((free) => free > 0) || !(spread > 0)) return undefined;
  return { roomiest, maxCost: stats.maxCostPerHour, spread };
}

const scratch = new Float64Array(3);

/**
 * Load, capacity and cost of a slot for a request that needs nothing of the default resources, each at
 * least the edge's score for any need (a need only lowers load and capacity), capacity and cost on the
 * frozen scale. An edge with none of the resources or no rate scores UNKNOWN_SCORE, as the scores do.
 */
export function staticScores(
  columns: FleetColumns,
  slot: number,
  scale: JointScale,
  resources: readonly (ResourceColumn | undefined)[],
): Float64Array {
  let load = 0;
  let capacity = 0;
  let count = 0;
  for (let r = 0; r < resources.length; r += 1) {
    const column = resources[r];
    const held = column ? (column.capacity[slot] as number) : 0;
    if (!column || held <= 0) continue;
    const free = Math.max(0, held - (column.allocated[slot] as number));
    load += (100 * free) / held;
    capacity += (100 * free) / (scale.roomiest[r] as number);
    count += 1;
  }
  const rate = columns.cost[slot] as number;
  scratch[0] = count === 0 ? UNKNOWN_SCORE : load / count;
  scratch[1] = count === 0 ? UNKNOWN_SCORE : capacity / count;
  scratch[2] = Number.isNaN(rate) ? UNKNOWN_SCORE : (100 * Math.max(0, scale.maxCost - rate)) / scale.spread;
  return scratch;
}

/** The weighted sum of the three for each reference, written at `out[offset + reference]`. */
export function referenceSums(scores: Float64Array, out: Float64Array, offset: number): void {
  for (let i = 0; i < REFERENCES.length; i += 1) {
    const weights = REFERENCES[i] as FactorWeights;
    out[offset + i] =
      weights.load * (scores[0] as number) +
      weights.capacity * (scores[1] as number) +
      weights.cost * (scores[2] as number);
  }
}

/** How a request reads the joint ceilings: which reference, times what, plus what. */
export interface JointPlan {
  readonly reference: number;
  readonly factor: number;
  readonly offset: number;
}

/**
 * The request's weighted load + capacity + cost is at most `factor × stored + offset` for every edge:
 * each of its three coefficients, rescaled from the frozen scales to today's, is at most `factor`
 * times the reference's (a sum of non-negative terms grows at most by its largest ratio); a dearest rate
 * above the frozen one shifts every cost score up by at most `offset`. Undefined when the request
 * averages over other resources than the defaults or a figure is missing (the separate ceilings apply).
 */
export function jointPlan(
  request: PlacementRequest,
  weights: FactorWeights,
  stats: FleetStats,
  scale: JointScale | undefined,
): JointPlan | undefined {
  const names = consideredNames(request.resources);
  if (
    !scale ||
    names.length !== DEFAULT_RESOURCES.length ||
    !DEFAULT_RESOURCES.every((n) => names.includes(n))
  )
    return undefined;
  const spread = stats.maxCostPerHour - stats.minCostPerHour;
  const roomiest = DEFAULT_RESOURCES.map((name) => stats.maxFree[name] ?? 0);
  if (!(spread > 0) || !roomiest.every((free) => free > 0)) return undefined;
  const capacityScale = Math.max(1, ...roomiest.map((free, r) => (scale.roomiest[r] as number) / free));
  const costScale = Math.max(1, scale.spread / spread);
  const reference = PLACEMENT_STRATEGIES.indexOf(request.strategy);
  const base = REFERENCES[reference] as FactorWeights;
  const coefficients: [number, number][] = [
    [weights.load, base.load],
    [weights.capacity * capacityScale, base.capacity],
    [weights.cost * costScale, base.cost],
  ];
  let factor = 0;
  for (const [wanted, stored] of coefficients) {
    if (wanted <= 0) continue;
    if (!(stored > 0)) return undefined;
    factor = Math.max(factor, wanted / stored);
  }
  const offset = (weights.cost * 100 * Math.max(0, stats.maxCostPerHour - scale.maxCost)) / spread;
  return { reference, factor, offset };
}

import type { FactorWeights } from '@kailash/contracts';
import type { FilterContext } from './filters';
import type { FleetStats } from './fleet';
import type { NodeSummaries } from './node-summaries';
import { ZONES } from './node-summaries';
import type { JointPlan } from './joint-ceilings';
import { JOINT_REFERENCES } from './joint-ceilings';
import type { RequestedBits } from './requested-bits';
import { DEFAULT_RESOURCES, geographicScore, UNKNOWN_SCORE } from './scores';
import { costScoreOf } from './slot-evaluator';
import { zonedPositions } from './zoned-summaries';
import { HolderTiers } from './holder-tiers';

/** One resource type the load and capacity scores average over, with the node summaries that bound it. */
interface ConsideredResource {
  readonly need: number;
  readonly maxFree: Float64Array;
  readonly maxFreeShare: Float64Array;
  readonly maxCapacity: Float64Array;
  readonly minCapacity: Float64Array;
  /** The roomiest active edge's free amount: the capacity score's denominator. */
  readonly roomiest: number;
  /** Its index among the default resources, whose free room is also kept per certification zone; -1: not one. */
  readonly zonedResource: number;
}

/** A request worked out once for bounding: which summaries to read and against what. */
export interface RequestBounds {
  readonly weights: FactorWeights;
  readonly requiredMask: number;
  /** The zones of the mask, by index. */
  readonly requiredZones: readonly number[];
  /** The required certification zones kept per node (`ZonedSummaries`), by their position there. */
  readonly zoned: readonly number[];
  readonly maxCostPerHour: number;
  /** Resources with a positive need, and the per-node most-free array for each (undefined: no active edge has it). */
  readonly needs: readonly {
    readonly need: number;
    readonly maxFree: Float64Array | undefined;
    readonly zonedResource: number;
  }[];
  readonly considered: readonly ConsideredResource[];
  /** Whether every resource type the scores average over is held by some placeable edge (has summaries). */
  readonly consideredComplete: boolean;
  /**
   * Whether an edge passing the filters may still lack every considered resource and so score
   * UNKNOWN_SCORE; not when each considered resource has a positive need, which the filters enforce.
   */
  readonly unknownPossible: boolean;
  /** How many data sets the request names (the data-locality score's denominator). */
  readonly dataSetCount: number;
  readonly requested: RequestedBits;
  /** Rates of edges below a node by the number of requested data sets they hold. */
  readonly holderTiers: HolderTiers;
  /**
   * The most requested bits an edge still to be found can hold: one below the level `visitTopLevels`
   * already examined, when it ran; otherwise every requested bit.
   */
  readonly mostHeld: number;
  readonly stats: FleetStats;
  /** How to read the nodes' joint load + capacity + cost ceilings; undefined: the separate ones only. */
  readonly joint: JointPlan | undefined;
}

export function requestBounds(
  context: FilterContext & {
    readonly weights: FactorWeights;
    readonly dataSets: readonly string[];
    readonly requested: RequestedBits;
    readonly mostHeld: number;
    readonly joint: JointPlan | undefined;
  },
  summaries: NodeSummaries,
  stats: FleetStats,
): RequestBounds {
  const requested = Object.keys(context.resources);
  const names = requested.length > 0 ? requested : DEFAULT_RESOURCES;
  const need = (resource: string) => context.resources[resource] ?? 0;
  const zoned = zonedPositions(context.requiredMask);
  return {
    weights: context.weights,
    requiredMask: context.requiredMask,
    requiredZones: zoneIndices(context.requiredMask),
    zoned,
    maxCostPerHour: context.maxCostPerHour ?? Infinity,
    needs: requested
      .filter((resource) => need(resource) > 0)
      .map((resource) => ({
        need: need(resource),
        maxFree: summaries.resources.get(resource)?.maxFree,
        zonedResource: DEFAULT_RESOURCES.indexOf(resource),
      })),
    considered: names.flatMap((resource) => {
      const summary = summaries.resources.get(resource);
      if (!summary) return [];
      const roomiest = stats.maxFree[resource] ?? 0;
      return [
        { need: need(resource), ...summary, roomiest, zonedResource: DEFAULT_RESOURCES.indexOf(resource) },
      ];
    }),
    consideredComplete: names.every((resource) => summaries.resources.has(resource)),
    unknownPossible: names.some((resource) => need(resource) <= 0),
    dataSetCount: context.dataSets.length,
    requested: context.requested,
    holderTiers: new HolderTiers(summaries, context.requested, zoned),
    mostHeld: context.mostHeld,
    joint: context.joint,
    stats,
  };
}

const tierRates = new Float64Array(64);

/**
 * The most any edge under a node could total for this request, or -Infinity when none can pass the
 * hard filters (zones, cost cap, capacity). Each factor's ceiling is at least its score for every edge
 * below: geographic from the nearest point of the node's box, the others from the node's summaries.
 * A mean over resource types never exceeds its largest term, so load and capacity take the largest.
 * Edges holding none of the requested data sets score 0 on data locality at the node's cheapest rate;
 * those holding h of them at most h shares of it at the least rate such an edge can have
 * (`HolderTiers`), so holding several is never credited with the cheapest single holder's rate.
 */
export function nodeBound(
  summaries: NodeSummaries,
  node: number,
  minKm: number,
  bounds: RequestBounds,
): number {
  if ((summaries.placeable[node] as number) === 0) return -Infinity;
  if (((summaries.zoneUnion[node] as number) & bounds.requiredMask) !== bounds.requiredMask) return -Infinity;
  const cheapest = cheapestWithZones(summaries, node, bounds.requiredZones);
  if (cheapest > bounds.maxCostPerHour) return -Infinity;
  for (const { need, maxFree, zonedResource } of bounds.needs)
    if (!maxFree || freeBelow(summaries, node, maxFree, zonedResource, bounds) < need) return -Infinity;
  const { weights } = bounds;
  const geographic = weights.geographic * geographicScore(minKm);
  const resources = resourceCeilings(summaries, node, bounds);
  const joint = jointCeiling(summaries, node, bounds);
  // No placeable edge below holds a required zone (the node's bound then never reaches here otherwise).
  if (joint === -Infinity) return -Infinity;
  const all = staticCeiling(summaries, node, cheapest, resources, joint, bounds);
  const names = bounds.dataSetCount;
  if (names === 0) return geographic + weights.dataLocality * 100 + all;
  const tiers = bounds.holderTiers.at(node, bounds.mostHeld, tierRates);
  let best = all;
  for (let held = 1; held <= tiers; held += 1) {
    const rate = Math.max(cheapest, tierRates[held - 1] as number);
    // Rates only rise with the sets held, so no edge holding more is within the cap either.
    if (rate > bounds.maxCostPerHour) break;
    const total =
      (100 * weights.dataLocality * held) / names +
      staticCeiling(summaries, node, rate, resources, joint, bounds);
    if (total > best) best = total;
  }
  return geographic + best;
}

/**
 * The most free amount of a resource an edge below passing the zone filter can have: the node's own,
 * lowered to the most among edges holding each required certification zone where those are kept.
 */
function freeBelow(
  summaries: NodeSummaries,
  node: number,
  maxFree: Float64Array,
  zonedResource: number,
  bounds: RequestBounds,
): number {
  const free = maxFree[node] as number;
  if (zonedResource < 0 || bounds.zoned.length === 0) return free;
  return summaries.zoned.freeWithin(node, bounds.zoned, zonedResource, free);
}

/** Indices of the zones set in a mask. */
export function zoneIndices(mask: number): number[] {
  const zones: number[] = [];
  for (let rest = mask; rest !== 0; rest &= rest - 1) zones.push(31 - Math.clz32(rest & -rest));
  return zones;
}

/** The cheapest known rate an edge below holding every required zone can have (Infinity: none known). */
function cheapestWithZones(summaries: NodeSummaries, node: number, zones: readonly number[]): number {
  let cheapest = summaries.minCost[node] as number;
  for (const zone of zones)
    cheapest = Math.max(cheapest, summaries.zoneMinCost[node * ZONES + zone] as number);
  return cheapest;
}

/** Load, capacity and cost at a rate: each factor's own ceiling summed, or one edge's joint sum if that is lower. */
function staticCeiling(
  summaries: NodeSummaries,
  node: number,
  cheapest: number,
  resources: number,
  joint: number,
  bounds: RequestBounds,
): number {
  const separate = resources + bounds.weights.cost * costCeiling(summaries, node, cheapest, bounds.stats);
  return Math.min(separate, joint);
}

/**
 * The most one edge below totals on load, capacity and cost together for this request (Infinity: no
 * joint plan; -Infinity: no placeable edge below holds a required zone).
 */
function jointCeiling(summaries: NodeSummaries, node: number, bounds: RequestBounds): number {
  const joint = bounds.joint;
  if (!joint) return Infinity;
  let stored = summaries.joint[node * JOINT_REFERENCES + joint.reference] as number;
  if (bounds.zoned.length > 0)
    stored = summaries.zoned.jointWithin(node, bounds.zoned, joint.reference, stored);
  if (stored === -Infinity) return -Infinity;
  return joint.factor * stored + joint.offset - needShortfall(node, bounds);
}

/**
 * What a request's needs take off the need-free joint sums for every edge below that can take them: an
 * edge passing the capacity filter has at least the need free, so its load term is at most its
 * need-free one less need / its capacity (capacity at most the node's largest), its capacity term less
 * need / the roomiest, and its mean runs over at most every default resource.
 */
function needShortfall(node: number, bounds: RequestBounds): number {
  const { weights, considered } = bounds;
  let load = 0;
  let capacity = 0;
  for (const resource of considered) {
    if (!(resource.need > 0)) continue;
    load += resource.need / (resource.maxCapacity[node] as number);
    if (resource.roomiest > 0) capacity += resource.need / resource.roomiest;
  }
  return (100 * (weights.load * load + weights.capacity * capacity)) / DEFAULT_RESOURCES.length;
}

/**
 * The weighted load and capacity ceilings. When every edge below holds every considered resource, each
 * edge's score is the mean of the same terms, so the mean of per-resource ceilings bounds it (tight for
 * a request that needs one resource and not another). Otherwise an edge's mean runs over the resources
 * it has, which never exceeds the largest term, and one lacking all of them scores UNKNOWN_SCORE.
 */
function resourceCeilings(summaries: NodeSummaries, node: number, bounds: RequestBounds): number {
  const { considered, weights } = bounds;
  // A factor weighted 0 adds 0 whatever its ceiling (each is finite): most strategies weigh capacity 0.
  const loads = weights.load > 0;
  const capacities = weights.capacity > 0;
  if (bounds.consideredComplete && considered.length > 0 && allHold(node, considered)) {
    let load = 0;
    let capacity = 0;
    for (const resource of considered) {
      if (loads) load += loadTerm(node, resource);
      if (capacities) capacity += capacityTerm(summaries, node, resource, bounds);
    }
    return (weights.load * load + weights.capacity * capacity) / considered.length;
  }
  const floor = bounds.unknownPossible ? UNKNOWN_SCORE : 0;
  return (
    (loads ? weights.load * Math.max(floor, loadCeiling(node, considered)) : 0) +
    (capacities ? weights.capacity * Math.max(floor, capacityCeiling(summaries, node, bounds)) : 0)
  );
}

function allHold(node: number, considered: readonly ConsideredResource[]): boolean {
  for (const resource of considered) if (!((resource.minCapacity[node] as number) > 0)) return false;
  return true;
}

/** (free − need) / capacity ≤ best free share − need / largest capacity, clamped to [0, 100] as the score is. */
function loadTerm(node: number, resource: ConsideredResource): number {
  const largest = resource.maxCapacity[node] as number;
  const share = (resource.maxFreeShare[node] as number) - resource.need / largest;
  return 100 * Math.min(1, Math.max(0, share));
}

/** (free − need) / roomiest ≤ (most free below − need) / roomiest, clamped as the score is; 100 with no roomiest. */
function capacityTerm(
  summaries: NodeSummaries,
  node: number,
  resource: ConsideredResource,
  bounds: RequestBounds,
): number {
  if (!(resource.roomiest > 0)) return 100;
  const free = freeBelow(summaries, node, resource.maxFree, resource.zonedResource, bounds);
  const share = (free - resource.need) / resource.roomiest;
  return 100 * Math.min(1, Math.max(0, share));
}

/** The cost score falls as the rate rises, so the cheapest edge below scores best; an unknown rate scores UNKNOWN_SCORE. */
function costCeiling(summaries: NodeSummaries, node: number, cheapest: number, stats: FleetStats): number {
  const known = cheapest === Infinity ? 0 : costScoreOf(cheapest, stats);
  return (summaries.unknownCost[node] as number) > 0 ? Math.max(known, UNKNOWN_SCORE) : known;
}

/** (free − need) / capacity is at most the best free share, and at most 1 − need / the largest capacity. */
function loadCeiling(node: number, considered: readonly ConsideredResource[]): number {
  let best = 0;
  for (const resource of considered) {
    const largest = resource.maxCapacity[node] as number;
    if (largest <= 0) continue;
    best = Math.max(best, Math.min(resource.maxFreeShare[node] as number, 1 - resource.need / largest));
  }
  return 100 * best;
}

/** (free − need) / roomiest is at most (most free below − need) / roomiest, and at most 1. */
function capacityCeiling(summaries: NodeSummaries, node: number, bounds: RequestBounds): number {
  let best = 0;
  for (const resource of bounds.considered) {
    if ((resource.maxCapacity[node] as number) <= 0) continue;
    const free = freeBelow(summaries, node, resource.maxFree, resource.zonedResource, bounds);
    const share = resource.roomiest > 0 ? (free - resource.need) / resource.roomiest : 1;
    best = Math.max(best, Math.min(1, share));
  }
  return 100 * best;
}

import type { PlacementRequest } from '@kailash/contracts';
import type { FleetEdge, FleetStats } from './fleet';
import { freeOf } from './fleet';

/** Score given when the fleet holds no fact to judge by (no cost rate, no capacity): neither reward nor penalty. */
export const UNKNOWN_SCORE = 50;
/** Resource types load and capacity look at when a request names none. */
export const DEFAULT_RESOURCES: readonly string[] = ['cpu', 'memory'];

/**
 * Distance at which the geographic score halves: 1,000 km ≈ 15 ms estimated RTT. The curve
 * 100 / (1 + km / 1,000) keeps regional differences large (Paris–London costs 25 points) while still
 * ordering intercontinental ones (New York 15, Tokyo 9 from Paris), so no budget is needed to rank.
 */
export const GEOGRAPHIC_HALF_SCORE_KM = 1_000;

/** 100 at the client, falling with distance; strictly decreasing, which the pruned search relies on. */
export function geographicScore(km: number): number {
  return 100 / (1 + Math.max(0, km) / GEOGRAPHIC_HALF_SCORE_KM);
}

/** Share of the requested data sets the edge already holds; a request that reads none is indifferent (100). */
export function dataLocalityScore(edge: FleetEdge, dataSets: readonly string[]): number {
  if (dataSets.length === 0) return 100;
  let held = 0;
  for (const dataSet of dataSets) if (edge.dataSets.includes(dataSet)) held += 1;
  return (100 * held) / dataSets.length;
}

/**
 * Kubernetes' LeastAllocated: the mean share of each resource left free after placing the request,
 * so busy edges score low and load spreads. Unknown when the edge declares none of the resources.
 */
export function loadScore(edge: FleetEdge, resources: PlacementRequest['resources']): number {
  let sum = 0;
  let count = 0;
  for (const resource of consideredNames(resources)) {
    const capacity = edge.capacity[resource] ?? 0;
    if (capacity <= 0) continue;
    sum += clamp((100 * (freeOf(edge, resource) - (resources[resource] ?? 0))) / capacity);
    count += 1;
  }
  return count === 0 ? UNKNOWN_SCORE : sum / count;
}

/**
 * Absolute headroom: free capacity after placement, against the roomiest active edge of the fleet.
 * Unlike load, this prefers big edges (room to scale up) over small idle ones.
 */
export function capacityScore(
  edge: FleetEdge,
  resources: PlacementRequest['resources'],
  stats: FleetStats,
): number {
  let sum = 0;
  let count = 0;
  for (const resource of consideredNames(resources)) {
    if ((edge.capacity[resource] ?? 0) <= 0) continue;
    const roomiest = stats.maxFree[resource] ?? 0;
    sum +=
      roomiest > 0 ? clamp((100 * (freeOf(edge, resource) - (resources[resource] ?? 0))) / roomiest) : 100;
    count += 1;
  }
  return count === 0 ? UNKNOWN_SCORE : sum / count;
}

/** Min–max over the active fleet's hourly rates: the cheapest edge scores 100, the dearest 0. */
export function costScore(edge: FleetEdge, stats: FleetStats): number {
  if (edge.costPerHour === undefined) return UNKNOWN_SCORE;
  const spread = stats.maxCostPerHour - stats.minCostPerHour;
  if (!(spread > 0)) return 100;
  return clamp((100 * (stats.maxCostPerHour - edge.costPerHour)) / spread);
}

const NAMES = new WeakMap<PlacementRequest['resources'], readonly string[]>();

/**
 * The resource types load and capacity average over, worked out once per request rather than once per
 * edge (the search scores tens of thousands of edges per request in the worst case).
 */
export function consideredNames(resources: PlacementRequest['resources']): readonly string[] {
  let names = NAMES.get(resources);
  if (!names) {
    const requested = Object.keys(resources);
    names = requested.length > 0 ? requested : DEFAULT_RESOURCES;
    NAMES.set(resources, names);
  }
  return names;
}

function clamp(score: number): number {
  return Math.min(100, Math.max(0, score));
}

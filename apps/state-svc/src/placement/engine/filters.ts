import type { EdgeLifecycle, PlacementFilterReason, PlacementRequest } from '@kailash/contracts';
import type { FleetEdge } from './fleet';
import { freeOf } from './fleet';
import { consideredNames } from './scores';

/** What the hard filters need from a request, worked out once per request. */
export interface FilterContext {
  readonly requiredMask: number;
  readonly resources: PlacementRequest['resources'];
  /** Great-circle distance at which the estimated RTT reaches the latency budget (Infinity without one). */
  readonly maxKm: number;
  readonly maxCostPerHour: number | undefined;
}

export function lifecycleFilter(lifecycle: EdgeLifecycle): PlacementFilterReason | undefined {
  if (lifecycle === 'active') return undefined;
  return lifecycle === 'draining' ? 'draining' : 'inactive';
}

export function meetsCompliance(edge: FleetEdge, requiredMask: number): boolean {
  return (edge.zoneMask & requiredMask) === requiredMask;
}

/** Free = capacity − allocated for every requested resource type; a type the edge lacks has none free. */
export function hasCapacity(edge: FleetEdge, resources: PlacementRequest['resources']): boolean {
  for (const resource of consideredNames(resources)) {
    const need = resources[resource] ?? 0;
    if (need > 0 && freeOf(edge, resource) < need) return false;
  }
  return true;
}

/** A cost cap is a promise: an edge with no known rate cannot be shown to meet it, so it is filtered. */
export function withinCost(edge: FleetEdge, maxCostPerHour: number | undefined): boolean {
  return (
    maxCostPerHour === undefined || (edge.costPerHour !== undefined && edge.costPerHour <= maxCostPerHour)
  );
}

/**
 * The first hard filter an edge fails, or undefined if it passes. Lifecycle and latency budget come
 * first because the fleet view and the kd-tree apply them before an edge is even looked at (only
 * placeable edges are summarised; the search stops at the budget's radius), so every path counts reasons
 * alike. An active edge reported unhealthy counts as inactive.
 */
export function rejectReason(
  edge: FleetEdge,
  km: number,
  context: FilterContext,
): PlacementFilterReason | undefined {
  const lifecycle = lifecycleFilter(edge.lifecycle) ?? (edge.healthy ? undefined : 'inactive');
  if (lifecycle) return lifecycle;
  if (km > context.maxKm) return 'latency_budget';
  if (!meetsCompliance(edge, context.requiredMask)) return 'compliance';
  if (!hasCapacity(edge, context.resources)) return 'capacity';
  if (!withinCost(edge, context.maxCostPerHour)) return 'cost';
  return undefined;
}

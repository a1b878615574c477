import type { EdgePlacementFacts } from '../edges/edges.read-port';
import type { FleetEdge } from './engine/fleet';
import { fleetEdge } from './engine/fleet';

/** An edge as the edges slice reports it, shaped for placement's filters. */
export function toFleetEdge(facts: EdgePlacementFacts): FleetEdge {
  return fleetEdge({ ...facts, costPerHour: facts.costPerHour });
}

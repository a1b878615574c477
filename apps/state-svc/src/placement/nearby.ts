import type { GeoPoint } from '@kailash/contracts';
import type { NearbyCandidates } from '../edges/edges-nearby.port';
import type { Fleet } from './engine/fleet';

/** Added to a radius asked of the index, so rounding between chord and haversine distance never drops an edge SQL would keep. */
export const RADIUS_SLACK_KM = 1e-3;

/** Edges of any lifecycle within a radius as the fleet view holds them, for discovery to check in SQL. */
export function nearbyCandidates(fleet: Fleet, near: GeoPoint, radiusKm: number): NearbyCandidates {
  const edgeIds: string[] = [];
  fleet.tree.within(near, radiusKm + RADIUS_SLACK_KM, (slot) => edgeIds.push(fleet.edgeAt(slot).edgeId));
  return { edgeIds, position: fleet.position };
}

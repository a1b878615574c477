import type { FleetEdge, FleetEdgeInput } from '../../src/placement/engine/fleet';
import { fleetEdge } from '../../src/placement/engine/fleet';

/** A hand-made active edge for unit tests; override what the test is about. */
export function testEdge(edgeId: string, overrides: Partial<FleetEdgeInput> = {}): FleetEdge {
  return fleetEdge({
    edgeId,
    name: edgeId,
    region: 'eu-west',
    lat: 48.8566,
    lon: 2.3522,
    zones: [],
    lifecycle: 'active',
    capacity: { cpu: 16, memory: 64 },
    costPerHour: 1,
    ...overrides,
  });
}

export const PARIS = { lat: 48.8566, lon: 2.3522 };
export const FRANKFURT = { lat: 50.1109, lon: 8.6821 };
export const NEW_YORK = { lat: 40.7128, lon: -74.006 };
export const TOKYO = { lat: 35.6762, lon: 139.6503 };

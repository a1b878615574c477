import type { ComplianceZone, EdgeLifecycle, PlacementRequestInput } from '@kailash/contracts';
import { COMPLIANCE_ZONES, placementRequestSchema, PLACEMENT_STRATEGIES } from '@kailash/contracts';
import { seededRandom } from '@kailash/analytics';
import type { FleetEdge } from './fleet';
import { fleetEdge } from './fleet';

/**
 * Seeded synthetic fleets and requests for property tests and the benchmark: edges spread over the
 * sphere with a mix of lifecycles, zones, capacities, data sets and prices, so every filter and score
 * has work to do. Same seed, same fleet.
 */
export const SYNTHETIC_DATA_SETS = Array.from({ length: 40 }, (_, i) => `ds-${i}`);
const LIFECYCLES: readonly EdgeLifecycle[] = ['active', 'active', 'active', 'active', 'active', 'active', 'active', 'draining', 'warming', 'terminated'];

export function syntheticFleet(count: number, seed: number): FleetEdge[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const zones = COMPLIANCE_ZONES.filter(() => random() < 0.3) as ComplianceZone[];
    return fleetEdge({
      edgeId: `edge-${i}`,
      name: `Edge ${i}`,
      region: `region-${i % 16}`,
      lat: (Math.asin(2 * random() - 1) * 180) / Math.PI,
      lon: 360 * random() - 180,
      zones,
      lifecycle: pick(LIFECYCLES),
      capacity: { cpu: 4 * (1 + Math.floor(random() * 16)), memory: 16 * (1 + Math.floor(random() * 16)), ...(random() < 0.2 ? { gpu: 1 + Math.floor(random() * 4) } : {}) },
      allocated: random() < 0.5 ? { cpu: Math.floor(random() * 8) } : {},
      dataSets: SYNTHETIC_DATA_SETS.filter(() => random() < 0.1),
      costPerHour: random() < 0.9 ? Math.round(random() * 500) / 100 : undefined,
    });
  });
}

/** Requests from clients anywhere, with every strategy, some compliance, resource and budget needs. */
export function syntheticRequests(count: number, seed: number): PlacementRequestInput[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, () => ({
    client: { lat: (Math.asin(2 * random() - 1) * 180) / Math.PI, lon: 360 * random() - 180 },
    strategy: pick(PLACEMENT_STRATEGIES),
    dataSets: SYNTHETIC_DATA_SETS.filter(() => random() < 0.05),
    compliance: { classifications: random() < 0.3 ? [pick(['pii', 'phi', 'pci', 'financial'] as const)] : [], subjectCountry: pick(['FR', 'US', 'CA', 'DE']) },
    resources: random() < 0.7 ? { cpu: 1 + Math.floor(random() * 16), memory: 8 * Math.floor(random() * 8) } : ({} as Record<string, number>),
    ...(random() < 0.8 ? { latencyBudgetMs: 10 + Math.floor(random() * 150) } : {}),
    ...(random() < 0.2 ? { maxCostPerHour: random() * 5 } : {}),
    maxResults: 1 + Math.floor(random() * 10),
  }));
}

export const parseRequest = (input: PlacementRequestInput) => placementRequestSchema.parse(input);

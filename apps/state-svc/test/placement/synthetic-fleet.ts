import type { ComplianceZone, EdgeLifecycle, PlacementRequestInput } from '@kailash/contracts';
import { COMPLIANCE_ZONES, placementRequestSchema, PLACEMENT_STRATEGIES } from '@kailash/contracts';
import { seededRandom } from '@kailash/random';
import type { FleetEdge } from '../../src/placement/engine/fleet';
import { fleetEdge } from '../../src/placement/engine/fleet';

/**
 * Seeded synthetic fleets and requests for property tests and the benchmark: edges spread over the
 * sphere with a mix of lifecycles, zones, capacities, data sets and prices, so every filter and score
 * has work to do. Same seed, same fleet.
 */
export const SYNTHETIC_DATA_SETS = Array.from({ length: 40 }, (_, i) => `ds-${i}`);
const LIFECYCLES: readonly EdgeLifecycle[] = [
  'active',
  'active',
  'active',
  'active',
  'active',
  'active',
  'active',
  'draining',
  'warming',
  'terminated',
];

/** Zones that follow the law of the place (residency), as opposed to certifications an operator obtains anywhere. */
const SOVEREIGNTY_ZONES: readonly ComplianceZone[] = ['gdpr', 'ccpa', 'pipeda', 'lgpd'];
const CERTIFICATIONS = COMPLIANCE_ZONES.filter((zone) => !SOVEREIGNTY_ZONES.includes(zone));

/** Rough boxes: Europe → gdpr, California → ccpa, Canada → pipeda, Brazil → lgpd. */
function residencyZone(lat: number, lon: number): ComplianceZone | undefined {
  if (lat > 35 && lat < 71 && lon > -11 && lon < 32) return 'gdpr';
  if (lat > 32.5 && lat < 42 && lon > -124.5 && lon < -114) return 'ccpa';
  if (lat > 42 && lat < 70 && lon > -141 && lon < -52) return 'pipeda';
  if (lat > -34 && lat < 5 && lon > -74 && lon < -34) return 'lgpd';
  return undefined;
}

/**
 * `zones: 'geographic'` gives residency zones by location and certifications at random (30 % each),
 * as real fleets have them; `'random'` draws every zone at random, the worst case for a spatial index
 * because no subtree of the kd-tree can be skipped for lacking a zone.
 */
export function syntheticFleet(
  count: number,
  seed: number,
  zones: 'geographic' | 'random' = 'geographic',
): FleetEdge[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const lat = (Math.asin(2 * random() - 1) * 180) / Math.PI;
    const lon = 360 * random() - 180;
    const residency = residencyZone(lat, lon);
    const drawn = (zones === 'random' ? COMPLIANCE_ZONES : CERTIFICATIONS).filter(() => random() < 0.3);
    return fleetEdge({
      edgeId: `edge-${i}`,
      name: `Edge ${i}`,
      region: `region-${i % 16}`,
      lat,
      lon,
      zones: zones === 'geographic' && residency ? [residency, ...drawn] : drawn,
      lifecycle: pick(LIFECYCLES),
      capacity: {
        cpu: 4 * (1 + Math.floor(random() * 16)),
        memory: 16 * (1 + Math.floor(random() * 16)),
        ...(random() < 0.2 ? { gpu: 1 + Math.floor(random() * 4) } : {}),
      },
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
    compliance: {
      classifications: random() < 0.3 ? [pick(['pii', 'phi', 'pci', 'financial'] as const)] : [],
      subjectCountry: pick(['FR', 'US', 'CA', 'DE']),
    },
    resources:
      random() < 0.7
        ? { cpu: 1 + Math.floor(random() * 16), memory: 8 * Math.floor(random() * 8) }
        : ({} as Record<string, number>),
    ...(random() < 0.8 ? { latencyBudgetMs: 10 + Math.floor(random() * 150) } : {}),
    ...(random() < 0.2 ? { maxCostPerHour: random() * 5 } : {}),
    maxResults: 1 + Math.floor(random() * 10),
  }));
}

export const parseRequest = (input: PlacementRequestInput) => placementRequestSchema.parse(input);

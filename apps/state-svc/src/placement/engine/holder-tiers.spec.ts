import type { ComplianceZone } from '@kailash/contracts';
import { COMPLIANCE_ZONES, EDGE_LIFECYCLE_STATES } from '@kailash/contracts';
import { seededRandom } from '@kailash/random';
import { SYNTHETIC_DATA_SETS, syntheticFleet } from '../../../test/placement/synthetic-fleet';
import { FleetView } from '../fleet-view';
import type { Fleet, FleetEdge } from './fleet';
import { buildFleet, fleetEdge } from './fleet';
import { HolderTiers } from './holder-tiers';
import { RequestedBits } from './requested-bits';
import { zonedPositions } from './zoned-summaries';

const maskOf = (zones: readonly ComplianceZone[]) =>
  zones.reduce((mask, zone) => mask | (1 << COMPLIANCE_ZONES.indexOf(zone)), 0);

/** The placeable slots under a node, read off the tree. */
function slotsBelow(fleet: Fleet, node: number): number[] {
  const [left, right] = fleet.tree.children(node);
  if (left >= 0) return [...slotsBelow(fleet, left), ...slotsBelow(fleet, right)];
  const items = fleet.tree.leafSlotArray.subarray(fleet.tree.leafStart(node), fleet.tree.leafEnd(node));
  return Array.from(items).filter((slot) => fleet.columns.placeable[slot] === 1);
}

/**
 * The same fleet after random changes in place (rates, zones, data sets, lifecycle, position): the
 * summaries are then refreshed along changed paths only, which a stale entry would show.
 */
function churned(edges: FleetEdge[], changes: number, seed: number): Fleet {
  const random = seededRandom(seed);
  const view = new FleetView();
  view.apply(1, edges);
  const some = <T>(items: readonly T[]) => items.filter(() => random() < 0.3);
  for (let serial = 0; serial < changes; serial += 1) {
    const at = Math.floor(random() * edges.length);
    const before = edges[at] as FleetEdge;
    const kind = Math.floor(random() * 4);
    const after: FleetEdge =
      kind === 0
        ? { ...before, costPerHour: random() < 0.1 ? undefined : 5 * random() }
        : kind === 1
          ? fleetEdge({ ...before, zones: some(COMPLIANCE_ZONES), dataSets: some(SYNTHETIC_DATA_SETS) })
          : kind === 2
            ? { ...before, lifecycle: EDGE_LIFECYCLE_STATES[Math.floor(random() * 4)] ?? 'active' }
            : { ...before, lat: 48 + random(), lon: 2 + random() };
    edges[at] = after;
    view.apply(serial + 2, [after]);
  }
  expect(view.fullRebuilds).toBe(0);
  return view.current;
}

describe.each([
  ['built', () => buildFleet(syntheticFleet(3_000, 7))],
  ['changed in place', () => churned(syntheticFleet(3_000, 7), 1_500, 11)],
])('HolderTiers on a fleet %s', (_, make) => {
  const fleet = make();
  const sets = [
    SYNTHETIC_DATA_SETS.slice(0, 3),
    SYNTHETIC_DATA_SETS.slice(5, 10),
    [SYNTHETIC_DATA_SETS[2], SYNTHETIC_DATA_SETS[17], SYNTHETIC_DATA_SETS[31], SYNTHETIC_DATA_SETS[39]],
  ] as string[][];
  // With required certification zones only the edges holding them count, so their rates bound higher.
  const zoneSets: ComplianceZone[][] = [
    [],
    ['sox'],
    ['hipaa'],
    ['pci_dss'],
    ['hipaa', 'sox'],
    ['gdpr', 'pci_dss'],
  ];
  const requests = sets.flatMap((names) => zoneSets.map((zones) => [zones, names] as const));

  it.each(requests)(
    'bounds the rate of every edge below holding zones %j by the requested sets it holds (%j)',
    (zones, names) => {
      const mask = maskOf(zones);
      const requested = new RequestedBits(fleet.columns, names);
      const tiersOf = new HolderTiers(fleet.summaries, requested, zonedPositions(mask));
      const zoneFree = new HolderTiers(fleet.summaries, requested);
      const out = new Float64Array(64);
      const free = new Float64Array(64);
      const wrong: string[] = [];
      let raised = 0;
      let zoneRaised = 0;
      for (let node = 0; node < fleet.tree.nodeCount; node += 1) {
        const tiers = tiersOf.at(node, names.length, out);
        zoneFree.at(node, names.length, free);
        for (let held = 2; held <= tiers; held += 1)
          if ((out[held - 1] as number) > (out[0] as number)) raised += 1;
        if ((out[0] as number) > (free[0] as number)) zoneRaised += 1;
        for (const slot of slotsBelow(fleet, node)) {
          if (((fleet.columns.zoneMask[slot] as number) & mask) !== mask) continue;
          const held = requested.count(
            fleet.columns.dataSetsLow[slot] as number,
            fleet.columns.dataSetsHigh[slot] as number,
          );
          const rate = fleet.columns.cost[slot] as number;
          if (held > tiers) wrong.push(`node ${node}: slot ${slot} holds ${held} > ${tiers}`);
          else if (held > 0 && !Number.isNaN(rate) && rate < (out[held - 1] as number))
            wrong.push(`node ${node}: slot ${slot} at ${rate} below tier ${held}'s ${out[held - 1]}`);
        }
      }
      expect(wrong).toEqual([]);
      // Holding several sets costs more than the cheapest single holder somewhere: the tiers are tighter.
      expect(raised).toBeGreaterThan(0);
      // So does holding a kept certification; other zones leave the holders' rates as they were.
      if (zonedPositions(mask).length > 0) expect(zoneRaised).toBeGreaterThan(0);
      else expect(zoneRaised).toBe(0);
    },
  );

  it('caps the tiers at what is still unexamined', () => {
    const names = SYNTHETIC_DATA_SETS.slice(0, 4);
    const tiers = new HolderTiers(fleet.summaries, new RequestedBits(fleet.columns, names));
    const out = new Float64Array(64);
    expect(tiers.at(0, 4, out)).toBeGreaterThanOrEqual(2);
    expect(tiers.at(0, 1, out)).toBe(1);
  });
});

import { SYNTHETIC_DATA_SETS, syntheticFleet } from '../../../test/placement/synthetic-fleet';
import type { Fleet } from './fleet';
import { buildFleet } from './fleet';
import { HolderTiers } from './holder-tiers';
import { RequestedBits } from './requested-bits';

/** The placeable slots under a node, read off the tree. */
function slotsBelow(fleet: Fleet, node: number): number[] {
  const [left, right] = fleet.tree.children(node);
  if (left >= 0) return [...slotsBelow(fleet, left), ...slotsBelow(fleet, right)];
  const items = fleet.tree.leafSlotArray.subarray(fleet.tree.leafStart(node), fleet.tree.leafEnd(node));
  return Array.from(items).filter((slot) => fleet.columns.placeable[slot] === 1);
}

describe('HolderTiers', () => {
  const fleet = buildFleet(syntheticFleet(3_000, 7));
  const requests = [
    SYNTHETIC_DATA_SETS.slice(0, 3),
    SYNTHETIC_DATA_SETS.slice(5, 10),
    [SYNTHETIC_DATA_SETS[2], SYNTHETIC_DATA_SETS[17], SYNTHETIC_DATA_SETS[31], SYNTHETIC_DATA_SETS[39]],
  ] as string[][];

  it.each(requests)(
    'bounds the rate of every edge below by the requested sets it holds (%s …)',
    (...names) => {
      const requested = new RequestedBits(fleet.columns, names);
      const tiersOf = new HolderTiers(fleet.summaries, requested);
      const out = new Float64Array(64);
      const wrong: string[] = [];
      let raised = 0;
      for (let node = 0; node < fleet.tree.nodeCount; node += 1) {
        const tiers = tiersOf.at(node, names.length, out);
        for (let held = 2; held <= tiers; held += 1)
          if ((out[held - 1] as number) > (out[0] as number)) raised += 1;
        for (const slot of slotsBelow(fleet, node)) {
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

import { syntheticFleet } from '../../../test/placement/synthetic-fleet';
import { toUnitVector } from '../geo/geo';
import { buildFleet, fleetEdge } from './fleet';

describe('buildFleet', () => {
  const edges = syntheticFleet(2_000, 3);
  const fleet = buildFleet(edges);

  it('numbers slots by the tree: each leaf holds consecutive slots, leaves in node order', () => {
    const { tree } = fleet;
    const runs: number[][] = [];
    for (let node = 0; node < tree.nodeCount; node += 1)
      if (tree.isLeaf(node))
        runs.push(Array.from(tree.leafSlotArray.subarray(tree.leafStart(node), tree.leafEnd(node))));
    const slots = runs.flat();
    expect(slots).toEqual(slots.map((_, i) => i));
  });

  it('keeps every edge at its own slot and point', () => {
    const wrong = edges.filter((edge) => {
      const slot = fleet.columns.slotOf(edge.edgeId) as number;
      const point = toUnitVector(edge);
      return (
        fleet.edgeAt(slot) !== edge ||
        point.some((value, axis) => fleet.tree.coordinate(slot, axis) !== value)
      );
    });
    expect(wrong.map((edge) => edge.edgeId)).toEqual([]);
  });

  it('holds an edge listed twice once, as its last description', () => {
    const [first, second] = edges as [(typeof edges)[0], (typeof edges)[0]];
    const renamed = { ...second, edgeId: first.edgeId };
    const twice = buildFleet([first, second, renamed]);
    expect(twice.size).toBe(2);
    expect(twice.get(first.edgeId)).toBe(renamed);
    expect(twice.tree.leafSlotArray.subarray(0, twice.tree.leafEnd(0)).length).toBe(2);
  });

  it('grows its node arrays by an eighth as leaves split, not double', () => {
    const grown = buildFleet(edges);
    for (let i = 0; i < 400; i += 1)
      grown.upsert(
        fleetEdge({
          edgeId: `crowd-${i}`,
          name: `Crowd ${i}`,
          region: 'eu-west',
          lat: 48.85 + i * 1e-4,
          lon: 2.35,
          zones: [],
          lifecycle: 'active',
          capacity: { cpu: 8 },
          costPerHour: 1,
        }),
      );
    expect(grown.tree.nodeCount).toBeGreaterThan(fleet.tree.nodeCount * 1.125);
    expect(grown.summaries.placeable.length).toBeLessThanOrEqual(grown.tree.nodeCount * 1.25);
  });
});

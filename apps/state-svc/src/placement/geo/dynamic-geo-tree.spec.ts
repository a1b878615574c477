import { seededRandom } from '@kailash/random';
import type { TreeSummaries } from './dynamic-geo-tree';
import { DynamicGeoTree, treePoint } from './dynamic-geo-tree';
import type { LatLon } from './geo';
import { greatCircleKm } from './geo';

/** Counts slots per node, so the test can check the summaries the tree refreshes along each path. */
class Counts implements TreeSummaries {
  counts = new Int32Array(0);
  ensureNodes(count: number): void {
    if (count <= this.counts.length) return;
    const next = new Int32Array(count * 2);
    next.set(this.counts);
    this.counts = next;
  }
  refreshLeaf(node: number, _items: Int32Array, _offset: number, count: number): void {
    this.counts[node] = count;
  }
  refreshParent(node: number, left: number, right: number): void {
    this.counts[node] = (this.counts[left] as number) + (this.counts[right] as number);
  }
}

/** Uniform on the sphere, plus clusters at the pole, at the antimeridian and on one spot (duplicates). */
function site(random: () => number, i: number): LatLon {
  if (i % 10 === 0) return { lat: 89 + random(), lon: 360 * random() - 180 };
  if (i % 10 === 1) return { lat: 180 * random() - 90, lon: 179.5 + random() * 0.5 };
  if (i % 10 === 2) return { lat: 48.85, lon: 2.35 };
  return { lat: (Math.asin(2 * random() - 1) * 180) / Math.PI, lon: 360 * random() - 180 };
}

const queries: LatLon[] = [
  { lat: 48.85, lon: 2.35 },
  { lat: 0, lon: 179.9 },
  { lat: 0, lon: -179.9 },
  { lat: 90, lon: 0 },
  { lat: -33.87, lon: 151.21 },
];

describe('DynamicGeoTree: a kd-tree changed in place stays exact', () => {
  it('finds exactly the points within a radius after inserts, moves and removals (brute force)', () => {
    const random = seededRandom(4);
    const summaries = new Counts();
    const tree = new DynamicGeoTree(summaries);
    const where = new Map<number, LatLon>();
    for (let slot = 0; slot < 2_000; slot += 1) where.set(slot, site(random, slot));
    tree.load([...where.keys()], (slot) => treePoint(where.get(slot) as LatLon, [random(), 0, 0]));
    for (let step = 0; step < 6_000; step += 1) {
      const slot = Math.floor(random() * 2_500);
      if (random() < 0.2 && where.has(slot)) {
        tree.remove(slot);
        where.delete(slot);
        continue;
      }
      tree.remove(slot);
      const point = site(random, step);
      tree.insert(slot, treePoint(point, [random(), random(), 0]));
      where.set(slot, point);
    }
    expect(summaries.counts[0]).toBe(where.size);
    for (const query of queries) {
      for (const km of [1, 300, 2_000, 20_100]) {
        const found: number[] = [];
        tree.within(query, km, (slot) => found.push(slot));
        const within = (limit: number) =>
          [...where].filter(([, point]) => greatCircleKm(query, point) <= limit).map(([slot]) => slot);
        // Chord and haversine round differently by ~1e-9 km; beyond that the sets must agree exactly.
        const surely = new Set(within(km - 1e-6));
        const possibly = new Set(within(km + 1e-6));
        expect(found.filter((slot) => surely.has(slot))).toHaveLength(surely.size);
        expect(found.every((slot) => possibly.has(slot))).toBe(true);
        expect(new Set(found).size).toBe(found.length);
      }
    }
  });

  it('branch and bound by distance alone returns the nearest slots in order', () => {
    const random = seededRandom(5);
    const tree = new DynamicGeoTree(new Counts());
    const where = new Map<number, LatLon>();
    for (let slot = 0; slot < 3_000; slot += 1) {
      const point = site(random, slot + 3);
      where.set(slot, point);
      tree.insert(slot, treePoint(point, [0, 0, 0]));
    }
    for (const query of queries) {
      const accepted: number[] = [];
      tree.searchByBound(query, Infinity, {
        nodeBound: (_node, minKm) => -minKm,
        itemValue: (_slot, km) => -km,
        proceed: () => accepted.length < 20,
        accept: (slot) => void accepted.push(slot),
      });
      const expected = [...where]
        .map(([slot, point]) => ({ slot, km: greatCircleKm(query, point) }))
        .sort((a, b) => a.km - b.km)
        .slice(0, 20);
      accepted.forEach((slot, i) =>
        expect(greatCircleKm(query, where.get(slot) as LatLon)).toBeCloseTo(expected[i]?.km ?? NaN, 6),
      );
      expect(accepted).toHaveLength(20);
    }
  });

  it('handles an empty tree, and refuses a nested search', () => {
    const tree = new DynamicGeoTree(new Counts());
    const none: number[] = [];
    tree.within({ lat: 0, lon: 0 }, 20_000, (slot) => none.push(slot));
    expect(none).toEqual([]);
    tree.insert(0, treePoint({ lat: 1, lon: 1 }, []));
    const nested = {
      nodeBound: () => 1,
      itemValue: () => 1,
      proceed: () => true,
      accept: () => tree.searchByBound({ lat: 0, lon: 0 }, Infinity, nested),
    };
    expect(() => tree.searchByBound({ lat: 0, lon: 0 }, Infinity, nested)).toThrow(/do not nest/);
  });
});

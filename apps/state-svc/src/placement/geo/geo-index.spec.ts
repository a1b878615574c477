import { seededRandom } from '@kailash/random';
import type { LatLon } from './geo';
import { greatCircleKm } from './geo';
import { GeoIndex } from './geo-index';

interface Site extends LatLon {
  readonly id: number;
}

/** Uniform on the sphere (not on the lat/lon rectangle), plus clusters near the poles and the antimeridian. */
function sites(count: number, seed: number): Site[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, id) => {
    const lat = (Math.asin(2 * random() - 1) * 180) / Math.PI;
    const lon = 360 * random() - 180;
    if (id % 10 === 0) return { id, lat: 89 + random(), lon };
    if (id % 10 === 1) return { id, lat, lon: 179.5 + random() * 0.5 };
    return { id, lat, lon };
  });
}

function bruteForce(points: readonly Site[], from: LatLon): { id: number; km: number }[] {
  return points
    .map((point) => ({ id: point.id, km: greatCircleKm(from, point) }))
    .sort((a, b) => a.km - b.km);
}

const queries: LatLon[] = [
  { lat: 48.8566, lon: 2.3522 },
  { lat: -33.87, lon: 151.21 },
  { lat: 0, lon: 179.9 },
  { lat: 0, lon: -179.9 },
  { lat: 90, lon: 0 },
  { lat: -90, lon: 45 },
  ...sites(20, 99),
];

describe('GeoIndex (kd-tree over unit vectors) against a brute-force haversine scan', () => {
  const points = sites(5_000, 7);
  const index = GeoIndex.of(points);

  it.each(queries.map((query) => [query.lat.toFixed(2), query.lon.toFixed(2), query] as const))(
    'finds the same k nearest from (%s, %s)',
    (_lat, _lon, query) => {
      const expected = bruteForce(points, query).slice(0, 25);
      const found = index.nearest(query.lat, query.lon, 25);
      expect(found.map((hit) => hit.item.id)).toEqual(expected.map((hit) => hit.id));
      found.forEach((hit, i) => expect(hit.km).toBeCloseTo(expected[i]?.km ?? NaN, 6));
    },
  );

  it.each([50, 800, 5_000, 20_100])('returns exactly the points within %i km, nearest first', (km) => {
    for (const query of queries) {
      const expected = bruteForce(points, query).filter((hit) => hit.km <= km);
      const found = index.within(query.lat, query.lon, km);
      expect(found.map((hit) => hit.item.id)).toEqual(expected.map((hit) => hit.id));
    }
  });

  it('stops nearest() at maxKm and at k', () => {
    const paris = { lat: 48.8566, lon: 2.3522 };
    const within1000 = bruteForce(points, paris).filter((hit) => hit.km <= 1_000);
    expect(index.nearest(paris.lat, paris.lon, 10_000, 1_000)).toHaveLength(within1000.length);
    expect(index.nearest(paris.lat, paris.lon, 3)).toHaveLength(3);
    expect(index.nearest(paris.lat, paris.lon, 0)).toEqual([]);
  });

  it('lets a visitor stop the search early and refuses a nested search', () => {
    const seen: number[] = [];
    index.visitByDistance({ lat: 0, lon: 0 }, Infinity, (item) => seen.push(item.id) < 4);
    expect(seen).toHaveLength(4);
    expect(() =>
      index.visitByDistance({ lat: 0, lon: 0 }, Infinity, () => void index.nearest(0, 0, 1)),
    ).toThrow(/do not nest/);
    expect(index.nearest(0, 0, 1)).toHaveLength(1);
  });

  it('handles empty, single-point and duplicate-point sets', () => {
    expect(GeoIndex.of<Site>([]).nearest(0, 0, 5)).toEqual([]);
    const one = GeoIndex.of([{ id: 1, lat: 10, lon: 20 }]);
    expect(one.nearest(10, 20, 5)).toEqual([{ item: { id: 1, lat: 10, lon: 20 }, km: 0 }]);
    const same = GeoIndex.of(Array.from({ length: 100 }, (_, id) => ({ id, lat: 1, lon: 1 })));
    expect(same.within(1, 1, 0.001)).toHaveLength(100);
  });

  it('stays exact when also splitting on extra coordinates', () => {
    const random = seededRandom(3);
    const extras = new Map(points.map((point) => [point.id, [random(), random() * 0.5]]));
    const mixed = GeoIndex.of(points, { dimensions: 2, values: (point) => extras.get(point.id) ?? [] });
    for (const query of queries) {
      expect(mixed.nearest(query.lat, query.lon, 10).map((hit) => hit.item.id)).toEqual(
        bruteForce(points, query)
          .slice(0, 10)
          .map((hit) => hit.id),
      );
    }
  });

  it('can be rebuilt with other points', () => {
    const rebuilt = GeoIndex.of(points);
    rebuilt.build([{ id: -1, lat: -45, lon: 170 }]);
    expect(rebuilt.size).toBe(1);
    expect(rebuilt.nearest(48, 2, 5).map((hit) => hit.item.id)).toEqual([-1]);
  });
});

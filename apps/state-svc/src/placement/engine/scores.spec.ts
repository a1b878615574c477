import { buildFleet } from './fleet';
import {
  capacityScore,
  costScore,
  dataLocalityScore,
  geographicScore,
  loadScore,
  UNKNOWN_SCORE,
} from './scores';
import { testEdge } from '../../../test/placement/test-edges';

describe('placement factor scores (each 0–100)', () => {
  it('geographic halves every 1,000 km from the client and keeps falling', () => {
    expect(geographicScore(0)).toBe(100);
    expect(geographicScore(1_000)).toBe(50);
    expect(geographicScore(3_000)).toBe(25);
    expect(geographicScore(340)).toBeCloseTo(74.6, 1);
    expect(geographicScore(9_700)).toBeGreaterThan(geographicScore(9_800));
    expect(geographicScore(-1)).toBe(100);
  });

  it('data locality is the share of requested data sets held; no request is indifferent', () => {
    const edge = testEdge('e', { dataSets: ['a', 'b', 'c'] });
    expect(dataLocalityScore(edge, ['a', 'b', 'x', 'y'])).toBe(50);
    expect(dataLocalityScore(edge, ['a', 'b', 'c'])).toBe(100);
    expect(dataLocalityScore(edge, ['x'])).toBe(0);
    expect(dataLocalityScore(edge, [])).toBe(100);
  });

  it('load is the mean share left free after placement (LeastAllocated)', () => {
    const edge = testEdge('e', { capacity: { cpu: 10, memory: 100 }, allocated: { cpu: 5 } });
    // cpu: (10 − 5 − 1) / 10 = 40 %, memory: (100 − 0 − 50) / 100 = 50 %
    expect(loadScore(edge, { cpu: 1, memory: 50 })).toBeCloseTo(45, 10);
    // without requested resources: cpu 50 %, memory 100 %
    expect(loadScore(edge, {})).toBeCloseTo(75, 10);
    expect(loadScore(testEdge('bare', { capacity: {} }), {})).toBe(UNKNOWN_SCORE);
  });

  it('capacity is headroom after placement against the roomiest active edge', () => {
    const big = testEdge('big', { capacity: { cpu: 64 } });
    const small = testEdge('small', { capacity: { cpu: 16 } });
    const { stats } = buildFleet([
      big,
      small,
      testEdge('idle', { lifecycle: 'warming', capacity: { cpu: 1_000 } }),
    ]);
    expect(stats.maxFree).toEqual({ cpu: 64 });
    expect(capacityScore(big, { cpu: 0 }, stats)).toBe(100);
    expect(capacityScore(small, { cpu: 0 }, stats)).toBe(25);
    expect(capacityScore(small, { cpu: 8 }, stats)).toBe(12.5);
  });

  it('cost is min–max over the active fleet; unknown rates are neutral', () => {
    const fleet = buildFleet([
      testEdge('cheap', { costPerHour: 1 }),
      testEdge('dear', { costPerHour: 5 }),
      testEdge('mid', { costPerHour: 2 }),
    ]);
    expect(costScore(testEdge('x', { costPerHour: 1 }), fleet.stats)).toBe(100);
    expect(costScore(testEdge('x', { costPerHour: 5 }), fleet.stats)).toBe(0);
    expect(costScore(testEdge('x', { costPerHour: 2 }), fleet.stats)).toBe(75);
    expect(costScore(testEdge('x', { costPerHour: undefined }), fleet.stats)).toBe(UNKNOWN_SCORE);
    const uniform = buildFleet([testEdge('a', { costPerHour: 3 })]);
    expect(costScore(testEdge('a', { costPerHour: 3 }), uniform.stats)).toBe(100);
  });
});

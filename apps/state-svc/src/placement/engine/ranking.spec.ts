import type { ScoredEdge } from './ranking';
import { TopK } from './ranking';
import { testEdge } from '../../../test/placement/test-edges';

const scored = (edgeId: string, total: number, km = 0): ScoredEdge => ({
  edge: testEdge(edgeId),
  km,
  total,
  scores: { geographic: 0, dataLocality: 0, load: 0, capacity: 0, cost: 0 },
});

describe('TopK ranking', () => {
  it('keeps the k best by total, best first, and reports the k-th total as threshold', () => {
    const top = new TopK(3);
    expect(top.threshold).toBe(-Infinity);
    for (const [id, total] of [
      ['a', 10],
      ['b', 50],
      ['c', 30],
      ['d', 40],
      ['e', 5],
    ] as const)
      top.offer(scored(id, total));
    expect(top.best().map((s) => s.edge.edgeId)).toEqual(['b', 'd', 'c']);
    expect(top.full).toBe(true);
    expect(top.threshold).toBe(30);
  });

  it('breaks ties by distance, then by id', () => {
    const top = new TopK(3);
    top.offer(scored('z', 50, 10));
    top.offer(scored('y', 50, 5));
    top.offer(scored('x', 50, 10));
    expect(top.best().map((s) => s.edge.edgeId)).toEqual(['y', 'x', 'z']);
  });
});

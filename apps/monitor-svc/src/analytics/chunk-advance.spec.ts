import type { AnalysedSeries } from './chunk-advance';
import { chunksOf } from './chunk-advance';

const series = (id: number): AnalysedSeries => ({ id: String(id), edge_id: 'e', metric: 'cpu', labels: {} });
const due = (...buckets: number[]) =>
  buckets.map((bucketsAtMost, i) => ({ series: series(i), bucketsAtMost }));
const ids = (chunks: AnalysedSeries[][]) => chunks.map((chunk) => chunk.map((s) => Number(s.id)));

describe('cutting a pass into transactions', () => {
  it('puts a pass of one minute per series into as few chunks as the series bound allows', () => {
    expect(ids(chunksOf(due(1, 1, 1, 1, 1, 1, 1), 3, 50_000))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(ids(chunksOf(due(1, 1, 1), 1000, 50_000))).toEqual([[0, 1, 2]]);
  });

  it('closes a chunk before its buckets would exceed the bound, in order', () => {
    expect(ids(chunksOf(due(40, 40, 20, 30, 50), 1000, 100))).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it('gives a series with more buckets than the bound a chunk of its own', () => {
    expect(ids(chunksOf(due(10, 500, 10), 1000, 100))).toEqual([[0], [1], [2]]);
  });

  it('cuts nothing out of an empty pass', () => {
    expect(chunksOf([], 1000, 100)).toEqual([]);
  });
});

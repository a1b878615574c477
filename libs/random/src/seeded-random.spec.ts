import { seededNormal, seededRandom } from './seeded-random';

const draws = (next: () => number, count: number) => Array.from({ length: count }, next);

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    expect(draws(seededRandom(42), 100)).toEqual(draws(seededRandom(42), 100));
    expect(draws(seededRandom(42), 100)).not.toEqual(draws(seededRandom(43), 100));
  });

  it('stays in [0, 1) and spreads evenly over ten bins', () => {
    const values = draws(seededRandom(7), 10_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const bins = new Array<number>(10).fill(0);
    for (const v of values) bins[Math.floor(v * 10)] = (bins[Math.floor(v * 10)] ?? 0) + 1;
    for (const count of bins) expect(count).toBeGreaterThan(900);
  });
});

describe('seededNormal', () => {
  it('draws with mean about 0 and variance about 1, reproducibly', () => {
    const values = draws(seededNormal(3), 20_000);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    expect(draws(seededNormal(3), 10)).toEqual(values.slice(0, 10));
  });
});

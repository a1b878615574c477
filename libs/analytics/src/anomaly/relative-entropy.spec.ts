import { relativeEntropy, relativeEntropyDetector } from './relative-entropy';

const run = (values: readonly number[]) => {
  const detector = relativeEntropyDetector({ min: 0, max: 10, window: 10 });
  return values.map((v) => detector.update(v));
};

describe('relativeEntropy', () => {
  it('is 0 for equal distributions, positive otherwise, infinite off the support', () => {
    const p = Float64Array.from([0.5, 0.5]);
    expect(relativeEntropy(p, p)).toBe(0);
    expect(relativeEntropy(p, Float64Array.from([0.9, 0.1]))).toBeGreaterThan(0);
    expect(relativeEntropy(p, Float64Array.from([1, 0]))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('relativeEntropyDetector', () => {
  it('scores nothing until a window is full, then learns the usual histogram', () => {
    const usual = Array.from({ length: 200 }, (_, t) => (t % 2 === 0 ? 3 : 5));
    const scores = run(usual);
    expect(scores.slice(0, 10).every((s) => s === 0)).toBe(true);
    expect(scores.slice(20).every((s) => s === 0)).toBe(true);
  });

  it('fires when the value histogram changes and stays quiet once the new one is familiar', () => {
    const before = Array.from({ length: 100 }, (_, t) => (t % 2 === 0 ? 3 : 5));
    const after = Array.from({ length: 300 }, () => 9.5);
    const scores = run([...before, ...after]);
    expect(scores.slice(100, 111).some((s) => s === 1)).toBe(true);
    expect(scores.slice(200).every((s) => s === 0)).toBe(true);
  });

  it('never scores a constant range', () => {
    const detector = relativeEntropyDetector({ min: 4, max: 4 });
    expect(Array.from({ length: 100 }, () => detector.update(4)).every((s) => s === 0)).toBe(true);
  });
});

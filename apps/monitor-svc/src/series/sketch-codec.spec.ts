import { DDSketch } from '@datadog/sketches-js';
import { lcg } from './series-reference';
import { newSketch, quantileOfBytes, sketchFromBytes, sketchToBytes } from './sketch';

const QUANTILES = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1];

function sketchOf(values: number[]): DDSketch {
  const sketch = newSketch();
  for (const value of values) sketch.accept(value);
  return sketch;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));

const random = lcg(9);
const cases: [string, number[]][] = [
  ['long-tailed positives', Array.from({ length: 500 }, () => 1 + 80 * -Math.log(1 - random()))],
  [
    'negatives, zeros and positives',
    Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 0 : (i % 2 ? -1 : 1) * random() * 1e6)),
  ],
  ['one value', [42]],
  ['huge and tiny', [1e-9, 3e-5, 1, 7e12, 1e18]],
];

describe('DDSketch protobuf codec', () => {
  it.each(cases)('writes what DDSketch.fromProto reads: %s', (_, values) => {
    const sketch = sketchOf(values);
    const decoded = DDSketch.fromProto(sketchToBytes(sketch));
    expect(decoded.count).toBe(values.length);
    // The library rebuilds its mapping from gamma and offset, so values agree to rounding.
    for (const q of QUANTILES)
      expect(close(decoded.getValueAtQuantile(q), sketch.getValueAtQuantile(q))).toBe(true);
  });

  it.each(cases)('reads what DDSketch.toProto writes: %s', (_, values) => {
    const sketch = sketchOf(values);
    const decoded = sketchFromBytes(sketch.toProto());
    expect(decoded.count).toBe(values.length);
    for (const q of QUANTILES) expect(decoded.getValueAtQuantile(q)).toBe(sketch.getValueAtQuantile(q));
  });

  it.each(cases)('answers a quantile from the bytes exactly as the decoded sketch does: %s', (_, values) => {
    const sketch = sketchOf(values);
    for (const bytes of [sketchToBytes(sketch), sketch.toProto()])
      for (const q of [...QUANTILES, 0.333, 0.777, -0.1, 1.1])
        expect(quantileOfBytes(bytes, q)).toBe(sketchFromBytes(bytes).getValueAtQuantile(q));
  });

  it('answers NaN for an empty sketch, as DDSketch does', () => {
    expect(quantileOfBytes(sketchToBytes(newSketch()), 0.5)).toBeNaN();
  });

  it('refuses a sketch of another accuracy, as reading it into a sketch does', () => {
    const coarse = new DDSketch({ relativeAccuracy: 0.05 });
    for (const value of cases[0]?.[1] ?? []) coarse.accept(value);
    const bytes = coarse.toProto();
    expect(() => sketchFromBytes(bytes)).toThrow();
    expect(() => quantileOfBytes(bytes, 0.95)).toThrow();
  });

  it('round-trips through its own bytes and stays mergeable', () => {
    const [a, b] = [cases[0]?.[1] ?? [], [3, 5, 8, 13]];
    const merged = sketchFromBytes(sketchToBytes(sketchOf(a)));
    merged.merge(sketchFromBytes(sketchToBytes(sketchOf(b))));
    const direct = sketchOf([...a, ...b]);
    expect(merged.count).toBe(direct.count);
    for (const q of QUANTILES) expect(merged.getValueAtQuantile(q)).toBe(direct.getValueAtQuantile(q));
    // Later samples still land in a store filled from bytes.
    merged.accept(1e6);
    expect(Math.abs(merged.getValueAtQuantile(1) - 1e6)).toBeLessThanOrEqual(0.01 * 1e6);
  });

  it('writes only the occupied bins', () => {
    const sketch = sketchOf(cases[0]?.[1] ?? []);
    expect(sketchToBytes(sketch).length).toBeLessThan(Buffer.from(sketch.toProto()).length);
    expect(sketchToBytes(newSketch()).length).toBeLessThan(30);
    expect(sketchFromBytes(sketchToBytes(newSketch())).count).toBe(0);
  });

  it('refuses truncated bytes instead of inventing a sketch', () => {
    const bytes = sketchToBytes(sketchOf([1, 2, 3]));
    expect(() => sketchFromBytes(bytes.subarray(0, bytes.length - 3))).toThrow();
  });
});

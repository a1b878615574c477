import { findPatterns } from '@kailash/analytics';
import { seededNormal, seededRandom } from '@kailash/random';

export type NoiseKind = 'gaussian' | 'student-t(3)' | 'ar(1) 0.8';
export type StrengthPattern = 'periodic' | 'growth' | 'level-shift' | 'spike';

export const NOISES: readonly NoiseKind[] = ['gaussian', 'student-t(3)', 'ar(1) 0.8'];
export const STRENGTH_PATTERNS: readonly StrengthPattern[] = ['periodic', 'growth', 'level-shift', 'spike'];
/** Pattern strength in units of the noise's standard deviation. */
export const STRENGTHS = [0.5, 1, 1.5, 2, 3, 4, 5, 7, 10];
/** Confidence bars evaluated; the middle one is the operating point. */
export const BARS = [0.25, 0.5, 0.75];
const LENGTH = 1000;
/** Base level in noise σ: CPU at 20 % with 1 % noise, say. Growth is judged relative to it. */
const BASE = 20;
const AR_COEFFICIENT = 0.8;

/** Unit-variance noise of the given kind (seeded): Student-t with 3 degrees of freedom is scaled by 1/√3. */
export function noiseSource(kind: NoiseKind, seed: number): () => number {
  const normal = seededNormal(seed);
  if (kind === 'gaussian') return normal;
  if (kind === 'student-t(3)')
    return () => {
      const z = normal();
      const chi = normal() ** 2 + normal() ** 2 + normal() ** 2;
      return z / Math.sqrt(chi / 3) / Math.sqrt(3);
    };
  // AR(1) with unit marginal variance: innovations scaled by √(1 − φ²), started from the stationary law.
  let previous = normal();
  const innovation = Math.sqrt(1 - AR_COEFFICIENT ** 2);
  return () => {
    previous = AR_COEFFICIENT * previous + innovation * normal();
    return previous;
  };
}

/**
 * One series: base level plus noise, with `pattern` planted at `strength` σ (none when undefined).
 * Periodic: sine of that amplitude, period 24/48/96/144. Growth: a linear rise of that size over
 * the series. Level shift: a step of that size between 30 % and 70 % of the series. Spike: two
 * single values raised by that much.
 */
export function plantedSeries(
  noise: NoiseKind,
  seed: number,
  pattern?: StrengthPattern,
  strength = 0,
): Float64Array {
  const uniform = seededRandom(seed * 31 + 7);
  const draw = noiseSource(noise, seed * 31 + 11);
  const period = [24, 48, 96, 144][Math.floor(uniform() * 4)] as number;
  const shiftAt = Math.floor(LENGTH * (0.3 + 0.4 * uniform()));
  const values = Float64Array.from({ length: LENGTH }, (_, t) => {
    let v = BASE + draw();
    if (pattern === 'periodic') v += strength * Math.sin((2 * Math.PI * t) / period);
    if (pattern === 'growth') v += (strength * t) / LENGTH;
    if (pattern === 'level-shift' && t >= shiftAt) v += strength;
    return v;
  });
  if (pattern === 'spike')
    for (let k = 0; k < 2; k++) {
      const at = Math.floor(uniform() * LENGTH);
      values[at] = (values[at] as number) + strength;
    }
  return values;
}

/** Highest confidence per pattern kind that the detectors report for a series (0 when absent). */
function confidences(values: Float64Array): Map<string, number> {
  const found = new Map<string, number>();
  for (const f of findPatterns(values, { maxPeriod: 300 }))
    found.set(f.kind, Math.max(found.get(f.kind) ?? 0, f.confidence));
  return found;
}

export interface StrengthCell {
  readonly strength: number;
  /** Recall per confidence bar (same order as BARS). */
  readonly recall: number[];
  /** Precision per bar against as many pattern-free series as planted ones (balanced classes). */
  readonly precision: number[];
}

export interface StrengthCurve {
  readonly noise: NoiseKind;
  readonly pattern: StrengthPattern;
  /** Share of pattern-free series in which the pattern is reported, per bar. */
  readonly falsePositiveRate: number[];
  readonly cells: StrengthCell[];
}

/**
 * Precision and recall of each pattern detector against pattern strength, per noise kind: for
 * every (noise, pattern, strength) `perCell` series carry the pattern; `negatives` pattern-free
 * series of the same noise give the false-positive rate. Seeds are fixed, so the figures repeat.
 */
export function strengthCurves(perCell = 50, negatives = 100): StrengthCurve[] {
  const curves: StrengthCurve[] = [];
  NOISES.forEach((noise, n) => {
    const clean = Array.from({ length: negatives }, (_, k) =>
      confidences(plantedSeries(noise, 1_000_000 * (n + 1) + k)),
    );
    STRENGTH_PATTERNS.forEach((pattern, p) => {
      const falsePositiveRate = BARS.map(
        (bar) => clean.filter((c) => (c.get(pattern) ?? 0) >= bar).length / negatives,
      );
      const cells = STRENGTHS.map((strength, s) => {
        const found = Array.from({ length: perCell }, (_, k) => {
          const seed = 1_000_000 * (n + 1) + 10_000 * (p + 1) + 1_000 * (s + 1) + k;
          return confidences(plantedSeries(noise, seed, pattern, strength)).get(pattern) ?? 0;
        });
        const recall = BARS.map((bar) => found.filter((c) => c >= bar).length / perCell);
        const precision = recall.map((r, b) => {
          const fp = falsePositiveRate[b] as number;
          return r + fp > 0 ? r / (r + fp) : Number.NaN;
        });
        return { strength, recall, precision };
      });
      curves.push({ noise, pattern, falsePositiveRate, cells });
    });
  });
  return curves;
}

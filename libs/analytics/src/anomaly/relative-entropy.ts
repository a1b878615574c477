import type { StreamingDetector } from './types';

export interface RelativeEntropyOptions {
  /** The series' minimum and maximum, told in advance (NAB allows it). */
  readonly min: number;
  readonly max: number;
  /** Quantisation bins over the range (default 5). */
  readonly bins?: number;
  /** Values per window (default 52). */
  readonly window?: number;
  /**
   * Acceptance bound on 2·W·KL(window ‖ hypothesis): the 0.99 point of the chi-squared law with
   * bins − 1 degrees of freedom (default 13.277, for 5 bins).
   */
  readonly threshold?: number;
  /** A hypothesis seen at most this many times is still anomalous (default 1). */
  readonly minAgreements?: number;
  /** Cap on stored hypotheses: bounds memory and work per value (default 1,000). */
  readonly maxHypotheses?: number;
}

/**
 * Relative-entropy detector with multiple hypotheses (Wang et al., "Statistical techniques for
 * online anomaly detection in data centers", 2011; NAB's parameters): the value histogram of the
 * last `window` values is tested against every stored histogram by the relative-entropy
 * goodness-of-fit statistic. The closest accepted hypothesis counts one more agreement; a window
 * that no hypothesis accepts becomes a new one. The value scores 1 when no hypothesis accepts it,
 * or the accepted one has been seen too rarely, and 0 otherwise.
 *
 * Memory: the window and at most `maxHypotheses` histograms; work per value O(hypotheses × bins).
 */
export function relativeEntropyDetector(options: RelativeEntropyOptions): StreamingDetector {
  const bins = options.bins ?? 5;
  const window = options.window ?? 52;
  const threshold = options.threshold ?? 13.276704135987622;
  const minAgreements = options.minAgreements ?? 1;
  const maxHypotheses = options.maxHypotheses ?? 1000;
  const step = (options.max - options.min) / bins;
  const recent = new Int32Array(window);
  const counts = new Int32Array(bins);
  const hypotheses: Float64Array[] = [];
  const agreements: number[] = [];
  let seen = 0;
  const binOf = (value: number) => {
    // Levels 0..bins (ceil), the top two sharing the last bin, as NAB's histogram does.
    const level = Math.ceil((value - options.min) / step);
    return Math.min(bins - 1, Math.max(0, level));
  };
  return {
    name: 'relative-entropy',
    update(value: number): number {
      if (!Number.isFinite(value) || step === 0) return 0;
      const bin = binOf(value);
      if (seen >= window) {
        const leaving = recent[seen % window] as number;
        counts[leaving] = (counts[leaving] as number) - 1;
      }
      recent[seen % window] = bin;
      counts[bin] = (counts[bin] as number) + 1;
      seen++;
      if (seen < window) return 0;
      const frequencies = Float64Array.from(counts, (c) => c / window);
      if (hypotheses.length === 0) {
        hypotheses.push(frequencies);
        agreements.push(1);
        return 0;
      }
      const accepted = closestAccepted(frequencies, hypotheses, 2 * window, threshold);
      if (accepted < 0) {
        if (hypotheses.length < maxHypotheses) {
          hypotheses.push(frequencies);
          agreements.push(1);
        }
        return 1;
      }
      agreements[accepted] = (agreements[accepted] as number) + 1;
      return (agreements[accepted] as number) <= minAgreements ? 1 : 0;
    },
  };
}

/** Index of the hypothesis with the smallest statistic below the threshold, −1 when none. */
function closestAccepted(
  frequencies: Float64Array,
  hypotheses: readonly Float64Array[],
  scale: number,
  threshold: number,
): number {
  let best = -1;
  let smallest = Number.POSITIVE_INFINITY;
  hypotheses.forEach((hypothesis, index) => {
    const statistic = scale * relativeEntropy(frequencies, hypothesis);
    if (statistic < threshold && statistic < smallest) {
      smallest = statistic;
      best = index;
    }
  });
  return best;
}

/** KL(p ‖ q) in nats; infinite when p puts mass where q has none. */
export function relativeEntropy(p: Float64Array, q: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < p.length; k++) {
    const pk = p[k] as number;
    if (pk === 0) continue;
    const qk = q[k] as number;
    if (qk === 0) return Number.POSITIVE_INFINITY;
    sum += pk * Math.log(pk / qk);
  }
  return sum;
}

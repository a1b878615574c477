import { probationaryLength } from '../../nab/nab-weights';
import type { StreamingDetector } from '../types';
import { DualVigilanceFuzzyArt } from './fuzzy-art';
import { DownsampledLevels } from './levelling';
import { nearCosine, windowFeatures } from './features';
import { VigilanceTracker } from './vigilance';

export interface ArtimeOptions {
  /** The series' minimum and maximum, told in advance (NAB allows it). */
  readonly min: number;
  readonly max: number;
  /** The series' length, which NAB tells every detector through its probationary period. */
  readonly length: number;
  /** Levelled values per feature window (default 8, a power of two for the Haar transform). */
  readonly window?: number;
  /** Feature windows per probationary period, which sets the down-sampling step (default 13). */
  readonly windowsPerProbation?: number;
  /** Quantisation levels over the told range (default 80). */
  readonly levels?: number;
  /** Distance to the running median below which a value is snapped to it (default 0.075 of the range). */
  readonly chomp?: number;
  /** Vigilance used to calibrate the first one (default 0.8). */
  readonly initialVigilance?: number;
  /** Cap on stored categories: bounds memory and work per value (default 4,000). */
  readonly maxCategories?: number;
}

export interface ArtimeDetector extends StreamingDetector {
  readonly categoryCount: number;
}

/**
 * ARTime (Hampton, 2021; the top entry of NAB's scoreboard), reimplemented from the published
 * algorithm: the stream is down-sampled so that a probationary period holds a fixed number of
 * feature windows; each window of levelled values is described by its shape and its values and
 * presented to a dual-vigilance fuzzy ART network. A value is a candidate anomaly when its window
 * opens a new cluster (no category passes the lower vigilance), and it is reported unless the
 * detector is masking after a recent anomaly or new category — in which case it must be clearly
 * less similar than the last anomaly. Vigilance is calibrated on the probationary period and then
 * follows the similarities seen (see `VigilanceTracker`). Scores are non-zero only on reported
 * values: the confidence by how far the match fell below both vigilances and how badly the newest
 * value disagreed.
 *
 * Work per value: one pass over at most `maxCategories` categories every `step` values, plus a
 * one-off calibration over the probationary windows (quadratic in their number, about 100).
 */
export function artimeDetector(options: ArtimeOptions): ArtimeDetector {
  const window = options.window ?? 8;
  const probation = probationaryLength(options.length);
  const evenProbation = probation - (probation % 2);
  const step = Math.max(
    1,
    Math.round(Math.floor(evenProbation / (window * (options.windowsPerProbation ?? 13)))),
  );
  const trendWindow = Math.max(window + 2, Math.floor(evenProbation / step));
  const levels = new DownsampledLevels(
    step,
    options.min,
    options.max,
    options.levels ?? 80,
    options.chomp ?? 0.075,
  );
  const art = new DualVigilanceFuzzyArt(2 * window, options.maxCategories ?? 4000);
  const vigilance = new VigilanceTracker(art, trendWindow, Math.floor(window * 1.5));
  const recent = new Float64Array(window);
  const probationFeatures: Float64Array[] = [];
  let index = 0;
  return {
    name: 'artime',
    get categoryCount() {
      return art.categoryCount;
    },
    update(value: number): number {
      if (!Number.isFinite(value)) return 0;
      const levelled = levels.push(value);
      if (levelled === undefined) return 0;
      index++;
      recent.copyWithin(0, 1);
      recent[window - 1] = levelled;
      const features = index >= window ? windowFeatures(recent) : new Float64Array(2 * window);
      if (index > trendWindow) return vigilance.detect(features, index, index >= window);
      probationFeatures.push(features);
      if (index === trendWindow) {
        const rho = calibrateVigilance(
          probationFeatures.slice(window - 1),
          options.initialVigilance ?? 0.8,
          Math.floor(trendWindow / 2) - 1,
        );
        art.rhoLow = rho;
        art.rhoHigh = rho;
        probationFeatures.forEach((f, k) => vigilance.detect(f, k + 1, k + 1 >= window));
        probationFeatures.length = 0;
      }
      return 0;
    },
  };
}

/**
 * ARTime's first vigilance: the probation windows are ordered from least to most typical (sum of
 * similarities to the others), learned by a fresh network at `initial` vigilance, and the mean
 * best match from `averageFrom` on (about the second half) becomes the vigilance.
 */
export function calibrateVigilance(
  windows: readonly Float64Array[],
  initial: number,
  averageFrom: number,
): number {
  const n = windows.length;
  if (n === 0) return initial;
  const typicality = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const s = nearCosine(windows[i] as Float64Array, windows[j] as Float64Array);
      typicality[i] = (typicality[i] as number) + s;
      typicality[j] = (typicality[j] as number) + s;
    }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (typicality[a] as number) - (typicality[b] as number) || a - b,
  );
  const art = new DualVigilanceFuzzyArt((windows[0] as Float64Array).length, Number.MAX_SAFE_INTEGER);
  art.rhoLow = initial;
  art.rhoHigh = initial;
  const similarities = order.map((i) => art.present(windows[i] as Float64Array).similarity);
  const tail = similarities.slice(Math.min(Math.max(0, averageFrom), n - 1));
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

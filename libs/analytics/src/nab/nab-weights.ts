import type { IndexWindow, NabProfile } from './nab-types';

const PROBATION_FRACTION = 0.15;
/** NAB caps probation at 15 % of 5000 rows (sweeper.py `probationPercent * 5000`). */
const PROBATION_CAP = PROBATION_FRACTION * 5000;
/** Detections further than this many window-widths after a window cost the full FP weight. */
const FAR_PAST_WINDOW = 3;

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** NAB's scaled sigmoid of the position relative to a window: +0.987 at its left edge, −1 far after it. */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > FAR_PAST_WINDOW) return -1;
  return 2 * sigmoid(-5 * relativePosition) - 1;
}

/** Rows at the start of a file that are never scored. */
export function probationaryLength(rowCount: number): number {
  return Math.min(Math.floor(PROBATION_FRACTION * rowCount), PROBATION_CAP);
}

/** Per row: the weighted score a detection there would earn, and the window it belongs to (−1 = none). */
export interface RowWeights {
  readonly weight: Float64Array;
  readonly windowOf: Int32Array;
  /** Row from which scoring starts (the probationary period ends). */
  readonly firstScoredRow: number;
}

/**
 * Mirrors NAB's sweeper: inside a window the reward decays with the position of the row; outside,
 * a detection costs the full FP weight unless it is shortly after a window, where the cost ramps up.
 */
export function rowWeights(
  rowCount: number,
  windows: readonly IndexWindow[],
  profile: NabProfile,
): RowWeights {
  const weight = new Float64Array(rowCount);
  const windowOf = new Int32Array(rowCount).fill(-1);
  const maxTp = scaledSigmoid(-1);
  let previous: { end: number; width: number } | undefined;
  let next = 0;
  for (let i = 0; i < rowCount; i++) {
    const window = windows[next];
    if (window && i >= window.start && i <= window.end) {
      const width = window.end - window.start + 1;
      const position = -(window.end - i + 1) / width;
      weight[i] = (scaledSigmoid(position) * profile.tpWeight) / maxTp;
      windowOf[i] = next;
      if (i === window.end) {
        previous = { end: i, width };
        next++;
      }
      continue;
    }
    const unweighted = previous ? scaledSigmoid(Math.abs(previous.end - i) / (previous.width - 1)) : -1;
    weight[i] = unweighted * profile.fpWeight;
  }
  return { weight, windowOf, firstScoredRow: probationaryLength(rowCount) };
}

import type { NabProfile, NabScoredFile } from './nab-types';
import { scorableWindows } from './nab-scorer';
import { rowWeights } from './nab-weights';

/** The corpus-wide threshold that maximises the raw NAB score of a detector for one profile. */
export interface NabThresholdChoice {
  readonly threshold: number;
  readonly rawScore: number;
}

interface ScorablePoint {
  readonly score: number;
  readonly weight: number;
  /** Global window id across the corpus, −1 outside every window. */
  readonly window: number;
}

/**
 * NAB's optimiser: walk the scorable rows of all files in descending score order, lowering the
 * threshold one distinct score at a time, and keep the threshold with the best total. A window's
 * credit is the weight of its earliest detection, which is also its largest weight.
 */
export function optimiseThreshold(files: readonly NabScoredFile[], profile: NabProfile): NabThresholdChoice {
  const { points, windowCount } = collectPoints(files, profile);
  points.sort((a, b) => b.score - a.score);
  const windowCredit = new Float64Array(windowCount).fill(-profile.fnWeight);
  let total = -profile.fnWeight * windowCount;
  let best: NabThresholdChoice = { threshold: Number.POSITIVE_INFINITY, rawScore: total };
  for (let i = 0; i < points.length; i++) {
    const point = points[i] as ScorablePoint;
    if (point.window < 0) total += point.weight;
    else if (point.weight > (windowCredit[point.window] as number)) {
      total += point.weight - (windowCredit[point.window] as number);
      windowCredit[point.window] = point.weight;
    }
    const nextScore = points[i + 1]?.score;
    if (nextScore !== point.score && total > best.rawScore)
      best = { threshold: point.score, rawScore: total };
  }
  return best;
}

function collectPoints(
  files: readonly NabScoredFile[],
  profile: NabProfile,
): { points: ScorablePoint[]; windowCount: number } {
  const points: ScorablePoint[] = [];
  let windowOffset = 0;
  for (const file of files) {
    const { weight, windowOf, firstScoredRow } = rowWeights(file.rowCount, file.windows, profile);
    const scorable = scorableWindows(file.windows, firstScoredRow);
    const globalId = new Map(scorable.map((local, k) => [local, windowOffset + k]));
    for (let i = firstScoredRow; i < file.rowCount; i++) {
      const local = windowOf[i] as number;
      const score = file.scores[i] as number;
      points.push({
        score,
        weight: weight[i] as number,
        window: local < 0 ? -1 : (globalId.get(local) ?? -1),
      });
    }
    windowOffset += scorable.length;
  }
  return { points, windowCount: windowOffset };
}

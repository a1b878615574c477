import { InvalidInputError } from '../core/errors';
import type { IndexWindow, NabFileScore, NabProfile, NabScoredFile } from './nab-types';
import { rowWeights } from './nab-weights';

/** Per-row contributions in NAB's `S(t)` layout: TP reward or FN cost on a window's first row, FP cost on the row. */
export interface NabRowScores extends NabFileScore {
  readonly rowScores: Float64Array;
}

/** Scores one file at a fixed threshold; a row is a detection when its score is ≥ the threshold. */
export function scoreFile(file: NabScoredFile, threshold: number, profile: NabProfile): NabRowScores {
  assertConsistent(file);
  const { weight, windowOf, firstScoredRow } = rowWeights(file.rowCount, file.windows, profile);
  const rowScores = new Float64Array(file.rowCount);
  const firstDetection = new Map<number, number>();
  let falsePositives = 0;
  let trueNegatives = 0;
  let truePositiveRows = 0;
  let falseNegativeRows = 0;
  for (let i = firstScoredRow; i < file.rowCount; i++) {
    const detected = (file.scores[i] as number) >= threshold;
    const window = windowOf[i] as number;
    if (window < 0) {
      if (detected) {
        falsePositives++;
        rowScores[i] = weight[i] as number;
      } else trueNegatives++;
      continue;
    }
    if (detected) truePositiveRows++;
    else falseNegativeRows++;
    if (detected && !firstDetection.has(window)) firstDetection.set(window, i);
  }
  const scorable = scorableWindows(file.windows, firstScoredRow);
  const detectionDelays: number[] = [];
  for (const index of scorable) {
    const window = file.windows[index] as IndexWindow;
    const row = Math.max(window.start, firstScoredRow);
    const hit = firstDetection.get(index);
    if (hit !== undefined) detectionDelays.push(hit - window.start);
    rowScores[row] = hit === undefined ? -profile.fnWeight : (weight[hit] as number);
  }
  const score = rowScores.reduce((sum, value) => sum + value, 0);
  return {
    name: file.name,
    score,
    nullScore: scorable.length === 0 ? 0 : -profile.fnWeight * scorable.length,
    perfectScore: profile.tpWeight * scorable.length,
    truePositives: truePositiveRows,
    falsePositives,
    falseNegatives: falseNegativeRows,
    trueNegatives,
    detectionDelays,
    falsePositiveRows: falsePositives,
    scoredRows: file.rowCount - firstScoredRow,
    rowScores,
  };
}

/** Indices of windows with at least one row after the probationary period (NAB ignores the others). */
export function scorableWindows(windows: readonly IndexWindow[], firstScoredRow: number): number[] {
  return windows.flatMap((window, index) => (window.end >= firstScoredRow ? [index] : []));
}

/** NAB normalisation: the null detector maps to 0 and the perfect detector to 100. */
export function normaliseNabScore(
  results: readonly Pick<NabFileScore, 'score' | 'nullScore' | 'perfectScore'>[],
): number {
  const raw = results.reduce((sum, r) => sum + r.score, 0);
  const nullTotal = results.reduce((sum, r) => sum + r.nullScore, 0);
  const perfect = results.reduce((sum, r) => sum + r.perfectScore, 0);
  if (perfect === nullTotal)
    throw new InvalidInputError('NAB normalisation needs at least one scorable window');
  return (100 * (raw - nullTotal)) / (perfect - nullTotal);
}

function assertConsistent(file: NabScoredFile): void {
  if (file.scores.length !== file.rowCount) {
    throw new InvalidInputError(`${file.name}: ${file.scores.length} scores for ${file.rowCount} rows`);
  }
  let previousEnd = -1;
  for (const window of file.windows) {
    if (window.start > window.end || window.start <= previousEnd || window.end >= file.rowCount) {
      throw new InvalidInputError(`${file.name}: windows must be ordered, disjoint and inside the file`);
    }
    previousEnd = window.end;
  }
}

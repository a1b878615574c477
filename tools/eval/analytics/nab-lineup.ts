import {
  cadOseDetector,
  combinedDetector,
  cusumDetector,
  ewmaBandsDetector,
  pageHinkleyDetector,
  robustZDetector,
  seasonalResidualDetector,
  type StreamingDetector,
} from '@kailash/analytics';
import { runNabDetector, type DetectorOutcome, type NabFile } from './nab';

export const CAD_OSE_NAB = 'cad-ose (told file min/max, NAB rule)';
export const CAD_OSE_CAUSAL = 'cad-ose (range learned from first 150 values)';
export const MAX_ENSEMBLE = 'max(cad-ose NAB rule, combined)';
export const MEAN_ENSEMBLE = 'mean(cad-ose NAB rule, combined)';

function stream(detector: StreamingDetector, file: NabFile): Float64Array {
  return file.values.map((v) => detector.update(v));
}

/** The file's range: NAB's rules let a detector be told each file's minimum and maximum before it starts. */
function fileRange(file: NabFile): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of file.values) {
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { min, max };
}

/** Scores of one detector per file, computed once and shared by the rows that use them. */
function memoised(score: (file: NabFile) => Float64Array): (file: NabFile) => Float64Array {
  const cache = new Map<string, Float64Array>();
  return (file) => {
    const known = cache.get(file.key);
    if (known) return known;
    const scores = score(file);
    cache.set(file.key, scores);
    return scores;
  };
}

/**
 * Every detector of the NAB table, each with one parameter set for all files. The first row is the
 * detector judged against the target. The ensembles combine the two strongest detectors by the
 * maximum and the mean of their scores, both already in [0, 1]; they are reported so it is visible
 * whether combining helps.
 */
export function runNabLineup(files: readonly NabFile[]): DetectorOutcome[] {
  const cad = memoised((file) => stream(cadOseDetector({ range: fileRange(file) }), file));
  const combined = memoised((file) => stream(combinedDetector(), file));
  const pairwise = (merge: (a: number, b: number) => number) => (file: NabFile) => {
    const b = combined(file);
    return cad(file).map((a, i) => merge(a, b[i] as number));
  };
  return [
    runNabDetector(CAD_OSE_NAB, files, cad),
    runNabDetector(CAD_OSE_CAUSAL, files, () => cadOseDetector()),
    runNabDetector('combined (CUSUM + seasonal residual, suppressed)', files, combined),
    runNabDetector(MAX_ENSEMBLE, files, pairwise(Math.max)),
    runNabDetector(
      MEAN_ENSEMBLE,
      files,
      pairwise((a, b) => (a + b) / 2),
    ),
    runNabDetector('cusum', files, () => cusumDetector()),
    runNabDetector('seasonal-residual', files, () => seasonalResidualDetector()),
    runNabDetector('ewma-bands', files, () => ewmaBandsDetector()),
    runNabDetector('robust-z (MAD)', files, () => robustZDetector()),
    runNabDetector('page-hinkley', files, () => pageHinkleyDetector()),
    runNabDetector('null (never fires)', files, (file: NabFile) => new Float64Array(file.values.length)),
  ];
}

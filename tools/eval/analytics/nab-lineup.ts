import {
  cadOseDetector,
  liveCadOseDetector,
  nabCadOseOptions,
  combinedDetector,
  cusumDetector,
  ewmaBandsDetector,
  pageHinkleyDetector,
  robustZDetector,
  seasonalResidualDetector,
  type StreamingDetector,
} from '@kailash/analytics';
import { runNabDetector, type DetectorOutcome, type NabFile } from './nab';
import { ARTIME_REFERENCE, artimeScores } from './nab-told-range';

export const CAD_OSE_NAB = "cad-ose, NAB's protocol (told file min/max, rest = probation / 5)";
export const CAD_OSE_FIRST_ROUND = 'cad-ose, told min/max, rest 150, prediction gate (first round)';
export const CAD_OSE_LIVE = 'cad-ose live (told nothing; re-quantising, margin 0.4)';
export const CAD_OSE_FROZEN = 'cad-ose, range frozen after the first 150 values (first round)';
export const MAX_ENSEMBLE = "max(cad-ose NAB's protocol, combined)";
export const MEAN_ENSEMBLE = "mean(cad-ose NAB's protocol, combined)";
/** Neighbouring margins of the live detector, to show how much its figure depends on that one choice. */
const LIVE_MARGINS = [0.25, 0.5];
export const LIVE_VARIANT = 'cad-ose live, margin';

function stream(detector: StreamingDetector, file: NabFile): Float64Array {
  return file.values.map((v) => detector.update(v));
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
 * told-range detector judged against the target, the second the live one. The ensembles combine the two strongest detectors by the
 * maximum and the mean of their scores, both already in [0, 1]; they are reported so it is visible
 * whether combining helps.
 */
export function runNabLineup(files: readonly NabFile[]): DetectorOutcome[] {
  const cad = memoised((file) => stream(cadOseDetector(nabCadOseOptions(file.values)), file));
  const combined = memoised((file) => stream(combinedDetector(), file));
  const pairwise = (merge: (a: number, b: number) => number) => (file: NabFile) => {
    const b = combined(file);
    return cad(file).map((a, i) => merge(a, b[i] as number));
  };
  return [
    runNabDetector(CAD_OSE_NAB, files, cad),
    runNabDetector(ARTIME_REFERENCE, files, (file: NabFile) => artimeScores(file)),
    runNabDetector(CAD_OSE_LIVE, files, () => liveCadOseDetector()),
    runNabDetector(CAD_OSE_FIRST_ROUND, files, (file: NabFile) =>
      stream(
        cadOseDetector({
          range: nabCadOseOptions(file.values).range,
          restPeriod: 150,
          gateOnPrediction: true,
        }),
        file,
      ),
    ),
    ...LIVE_MARGINS.map((margin) =>
      runNabDetector(`${LIVE_VARIANT} ${margin}`, files, () => liveCadOseDetector({ margin })),
    ),
    runNabDetector(CAD_OSE_FROZEN, files, () =>
      cadOseDetector({ range: { warmup: 150, margin: 0.25 }, gateOnPrediction: true }),
    ),
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

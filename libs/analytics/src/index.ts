// Explicit re-exports: `export *` needs @swc/helpers at run time under the bench runner.
export { AnalyticsError, InsufficientDataError, InvalidInputError, ModelFitError } from './core/errors';
export {
  NAB_PROFILES,
  type NabProfile,
  type NabProfileName,
  type IndexWindow,
  type NabScoredFile,
  type NabFileScore,
} from './nab/nab-types';
export { scaledSigmoid, probationaryLength } from './nab/nab-weights';
export { scoreFile, normaliseNabScore, type NabRowScores } from './nab/nab-scorer';
export { optimiseThreshold, type NabThresholdChoice } from './nab/nab-sweep';
export { parseNabCsv, windowsToIndices, normaliseTimestamp, type NabSeries } from './nab/nab-format';
export {
  DEFAULT_LEVEL,
  type Forecast,
  type FittedModel,
  type FitContext,
  type Forecaster,
} from './forecasting/types';
export { prepareHistory, isConstant, type PreparedHistory } from './forecasting/prepare';
export {
  detectSeasonality,
  autocorrelation,
  type DetectedPeriod,
  type SeasonalityOptions,
} from './forecasting/seasonality';
export { naive, seasonalNaive } from './forecasting/models/naive';
export { linearTrend, fitLine, type LineFit } from './forecasting/models/linear-trend';
export {
  holtWinters,
  fitEts,
  fitBestEts,
  etsMean,
  type EtsSpec,
  type EtsFit,
} from './forecasting/models/ets';
export { arima, sarima, autoArima, arimaMean, type AutoArimaOptions } from './forecasting/models/arima';
export { fitArimaOrder, type ArimaOrder, type ArimaFit } from './forecasting/models/arima-core';
export { mstl, decompose, type Decomposition } from './forecasting/models/mstl';
export { guardedForecast, type GuardedForecastOptions } from './forecasting/guarded';
export {
  createSelector,
  validateCandidates,
  evidenceWeight,
  horizonBenchmark,
  type SelectorOptions,
  type CandidateScore,
} from './forecasting/selector';
export { smape, mase, maseScale, owa, naive2Forecast } from './forecasting/metrics';
export { deviationScore, type StreamingDetector, type DetectorFactory } from './anomaly/types';
export { robustZDetector, type RobustZOptions } from './anomaly/robust-z';
export { ewmaBandsDetector, type EwmaBandsOptions } from './anomaly/ewma-bands';
export {
  cusumDetector,
  pageHinkleyDetector,
  type CusumOptions,
  type PageHinkleyOptions,
} from './anomaly/change-points';
export { seasonalResidualDetector, type SeasonalResidualOptions } from './anomaly/seasonal-residual';
export { withSuppression } from './anomaly/suppression';
export { combinedDetector, type CombinedOptions } from './anomaly/combined';
export { cadOseDetector, type CadOseDetector, type CadOseOptions } from './anomaly/cad-ose/cad-ose';
export { nabCadOseOptions } from './anomaly/cad-ose/nab-protocol';
export {
  liveCadOseDetector,
  type LiveCadOseDetector,
  type LiveCadOseOptions,
  type LiveCadOseState,
} from './anomaly/cad-ose/live-cad-ose';
export { rangeEncoder, type ValueRange } from './anomaly/cad-ose/encoding';
export { clamp01, PATTERN_CONFIDENCE_BAR, type PatternFinding, type PatternKind } from './patterns/types';
export {
  detectPeriodic,
  detectSpikes,
  detectGrowth,
  detectLevelShift,
  detectImbalance,
  analyseTrend,
  findPatterns,
} from './patterns/detectors';
export { artimeDetector, type ArtimeDetector, type ArtimeOptions } from './anomaly/artime/artime';
export {
  relativeEntropyDetector,
  relativeEntropy,
  type RelativeEntropyOptions,
} from './anomaly/relative-entropy';

export * from './nab-types';
export { scaledSigmoid, probationaryLength } from './nab-weights';
export { scoreFile, normaliseNabScore, type NabRowScores } from './nab-scorer';
export { optimiseThreshold, type NabThresholdChoice } from './nab-sweep';
export { parseNabCsv, windowsToIndices, normaliseTimestamp, type NabSeries } from './nab-format';

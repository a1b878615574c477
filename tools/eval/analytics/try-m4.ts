import {
  arima,
  createSelector,
  holtWinters,
  linearTrend,
  mstl,
  naive,
  sarima,
  seasonalNaive,
} from '@kailash/analytics';
import { evaluateM4 } from './m4';
import { resolveDataDir } from './data';

const limit = Number(process.argv[2] ?? 414);
const base = [naive, seasonalNaive(24), seasonalNaive(168), linearTrend, holtWinters, arima, sarima, mstl];
const pool = [seasonalNaive(24), seasonalNaive(168), holtWinters, sarima, mstl];
const result = evaluateM4(
  resolveDataDir(undefined),
  [
    ...base,
    createSelector({ candidates: pool, validationHorizon: 48, mode: 'best' }),
    createSelector({ candidates: pool, validationHorizon: 48, mode: 'combine' }),
  ],
  limit,
);
console.log(result.seriesCount, result.naive2);
for (const m of result.models)
  console.log(
    m.model.padEnd(22),
    m.smape.toFixed(3),
    m.mase.toFixed(3),
    m.owa.toFixed(3),
    m.msPerSeries.toFixed(1) + 'ms',
    m.fallbacks,
  );
console.log(result.choices);

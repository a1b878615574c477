import { join } from 'node:path';
import {
  createSelector,
  detectSeasonality,
  guardedForecast,
  mase,
  maseScale,
  mstl,
  naive,
  seasonalNaive,
  type Forecaster,
} from '@kailash/analytics';
import { readVmCsv } from './data';
import { shrunkSelectors } from './forecasters';

export const DAY = 288;
export const WEEK = 7 * DAY;
export const VM_FILE = join('azure-vm-cpu-2017', 'azure_vm_cpu_avg_5min_100vms.csv');

export interface VmResult {
  readonly vmCount: number;
  readonly originsPerVm: number;
  readonly historyLength: number;
  /** MASE (scaled by in-sample daily seasonal naive) per horizon and model: over all forecasts and per VM. */
  readonly byHorizon: { horizon: number; models: VmModelResult[] }[];
}

export interface VmModelResult {
  readonly model: string;
  /** Mean over every forecast. */
  readonly mase: number;
  /** Mean over each VM's origins, one entry per VM (VMs without a usable origin left out). */
  readonly perVm: number[];
}

/** The candidates the VM selectors choose from. */
export const VM_POOL: readonly Forecaster[] = [naive, seasonalNaive(DAY), seasonalNaive(WEEK), mstl];

/** Baselines, MSTL, and the selectors over `VM_POOL` validated at the forecast's own horizon. */
export function vmModels(horizon: number): Forecaster[] {
  const pool = [...VM_POOL];
  return [
    naive,
    seasonalNaive(DAY),
    seasonalNaive(WEEK),
    mstl,
    createSelector({ candidates: pool, validationHorizon: horizon, origins: 3, mode: 'best' }),
    createSelector({ candidates: pool, validationHorizon: horizon, origins: 3, mode: 'combine' }),
    ...shrunkSelectors(pool, horizon, DAY, DAY),
  ];
}

/**
 * Rolling origin on the 5-minute average CPU: two weeks of history, origins every `originStep`
 * over the last 7 days, forecasts 12 steps (1 h) and 288 steps (1 day) ahead.
 */
export function evaluateVm(
  dataDir: string,
  options: {
    vmLimit?: number;
    vmNames?: readonly string[];
    originStep?: number;
    /** The models compared at one horizon (default `vmModels`). */
    models?: (horizon: number) => Forecaster[];
  } = {},
): VmResult {
  const { names, series } = readVmCsv(join(dataDir, VM_FILE));
  const vms = options.vmNames
    ? options.vmNames.map((name) => {
        const at = names.indexOf(name);
        if (at < 0) throw new Error(`VM column ${name} not found in ${VM_FILE}`);
        return series[at] as Float64Array;
      })
    : series.slice(0, options.vmLimit ?? series.length);
  const originStep = options.originStep ?? DAY;
  const history = 14 * DAY;
  const horizons = [12, DAY];
  const byHorizon = horizons.map((horizon) => {
    const models = (options.models ?? vmModels)(horizon);
    const totals = models.map(() => ({ sum: 0, count: 0 }));
    const perVm = models.map(() => [] as number[]);
    for (const values of vms) {
      const vmTotals = models.map(() => ({ sum: 0, count: 0 }));
      const n = values.length;
      for (let origin = n - 7 * DAY; origin + horizon <= n; origin += originStep) {
        const train = values.subarray(origin - history, origin);
        const actual = values.subarray(origin, origin + horizon);
        const scale = maseScale(train, DAY);
        if (!(scale > 0)) continue;
        const periods = detectSeasonality(train, { maxPeriod: WEEK + DAY }).map((p) => p.period);
        models.forEach((model, k) => {
          const forecast = guardedForecast(train, horizon, { models: [model], periods });
          const error = mase(actual, forecast.mean, scale);
          for (const total of [totals[k], vmTotals[k]] as { sum: number; count: number }[]) {
            total.sum += error;
            total.count++;
          }
        });
      }
      vmTotals.forEach((t, k) => {
        if (t.count > 0) (perVm[k] as number[]).push(t.sum / t.count);
      });
    }
    return {
      horizon,
      models: models.map((m, k) => ({
        model: m.name === 'seasonal-naive' ? 'seasonal-naive' : m.name,
        mase: (totals[k] as { sum: number }).sum / Math.max(1, (totals[k] as { count: number }).count),
        perVm: perVm[k] as number[],
      })),
    };
  });
  return {
    vmCount: vms.length,
    originsPerVm: Math.floor((7 * DAY - 12) / originStep) + 1,
    historyLength: history,
    byHorizon,
  };
}

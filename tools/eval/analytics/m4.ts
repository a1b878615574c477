import { join } from 'node:path';
import {
  detectSeasonality,
  guardedForecast,
  mase,
  maseScale,
  naive2Forecast,
  owa,
  smape,
  type Forecaster,
} from '@kailash/analytics';
import { readM4 } from './data';

export const M4_HORIZON = 48;
export const M4_PERIOD = 24;

export interface ModelAccuracy {
  readonly model: string;
  readonly smape: number;
  readonly mase: number;
  readonly owa: number;
  readonly msPerSeries: number;
  readonly fallbacks: number;
}

export interface M4Result {
  readonly seriesCount: number;
  readonly naive2: { smape: number; mase: number };
  readonly models: ModelAccuracy[];
  /** How often each member led the selector's choice. */
  readonly choices: Map<string, number>;
}

/**
 * M4 Hourly protocol on the training file: the last 48 values of each series are held out; sMAPE and
 * MASE (m = 24) are averaged over series and related to Naive2 computed by the same code (OWA).
 */
export function evaluateM4(
  dataDir: string,
  forecasters: readonly Forecaster[],
  sample: { limit?: number; ids?: readonly string[] } = {},
): M4Result {
  const series = pick(readM4(join(dataDir, 'm4-hourly', 'Hourly-train.csv')), sample);
  const totals = forecasters.map(() => ({ smape: 0, mase: 0, ms: 0, fallbacks: 0 }));
  const naive2 = { smape: 0, mase: 0 };
  const choices = new Map<string, number>();
  for (const { values } of series) {
    const train = values.subarray(0, values.length - M4_HORIZON);
    const test = values.subarray(values.length - M4_HORIZON);
    const scale = maseScale(train, M4_PERIOD);
    const n2 = naive2Forecast(train, M4_HORIZON, M4_PERIOD);
    naive2.smape += smape(test, n2);
    naive2.mase += mase(test, n2, scale);
    const periods = detectSeasonality(train, { maxPeriod: 24 * 8 }).map((p) => p.period);
    forecasters.forEach((forecaster, k) => {
      const started = performance.now();
      const forecast = guardedForecast(train, M4_HORIZON, { models: [forecaster], periods });
      const total = totals[k] as { smape: number; mase: number; ms: number; fallbacks: number };
      total.ms += performance.now() - started;
      total.smape += smape(test, forecast.mean);
      total.mase += mase(test, forecast.mean, scale);
      if (forecast.notes.some((n) => n.includes('not used'))) total.fallbacks++;
      if (forecaster.name === 'ensemble') {
        const lead = forecast.model.replace(/^ensemble\[/, '').split(/[:(]/)[0] ?? forecast.model;
        choices.set(lead, (choices.get(lead) ?? 0) + 1);
      }
    });
  }
  const count = series.length;
  const n2 = { smape: naive2.smape / count, mase: naive2.mase / count };
  const models = forecasters.map((f, k) => {
    const t = totals[k] as { smape: number; mase: number; ms: number; fallbacks: number };
    const s = t.smape / count;
    const m = t.mase / count;
    return {
      model: f.name,
      smape: s,
      mase: m,
      owa: owa(s, m, n2.smape, n2.mase),
      msPerSeries: t.ms / count,
      fallbacks: t.fallbacks,
    };
  });
  return { seriesCount: count, naive2: n2, models, choices };
}

/** The series named in `ids` (all of them must exist), else the first `limit`, else all. */
function pick<T extends { id: string }>(
  all: T[],
  { limit, ids }: { limit?: number; ids?: readonly string[] },
): T[] {
  if (!ids) return limit ? all.slice(0, limit) : all;
  const byId = new Map(all.map((s) => [s.id, s]));
  return ids.map((id) => {
    const found = byId.get(id);
    if (!found) throw new Error(`M4 series ${id} not found in Hourly-train.csv`);
    return found;
  });
}

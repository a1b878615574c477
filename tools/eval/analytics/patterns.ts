import { join } from 'node:path';
import { autocorrelation, detectImbalance, findPatterns, type PatternKind } from '@kailash/analytics';
import { seededNormal, seededRandom } from '@kailash/random';
import { readVmCsv } from './data';

type Planted = 'periodic' | 'spike' | 'growth' | 'level-shift';
const KINDS: Planted[] = ['periodic', 'spike', 'growth', 'level-shift'];

/** A noisy series with a random subset of known patterns planted in it (seeded, reproducible). */
export function generateSeries(seed: number, length = 1000): { values: Float64Array; planted: Set<Planted> } {
  const uniform = seededRandom(seed);
  const noise = seededNormal(seed + 7919);
  const planted = new Set(KINDS.filter(() => uniform() < 0.4));
  const base = 50 + 50 * uniform();
  const period = [24, 48, 96, 144][Math.floor(uniform() * 4)] as number;
  const shiftAt = Math.floor(length * (0.3 + 0.4 * uniform()));
  const values = Float64Array.from({ length }, (_, t) => {
    let v = base + noise();
    if (planted.has('periodic')) v += 5 * Math.sin((2 * Math.PI * t) / period);
    if (planted.has('growth')) v += (0.5 * base * t) / length;
    if (planted.has('level-shift') && t >= shiftAt) v += 8;
    return v;
  });
  if (planted.has('spike'))
    for (let k = 0; k < 2; k++) values[Math.floor(uniform() * length)]! += 15 + 10 * uniform();
  return { values, planted };
}

export interface PatternAccuracy {
  readonly kind: Planted;
  readonly precision: number;
  readonly recall: number;
  readonly support: number;
}

export function evaluateGeneratedPatterns(count = 400): PatternAccuracy[] {
  const tally = new Map(KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
  for (let seed = 1; seed <= count; seed++) {
    const { values, planted } = generateSeries(seed);
    const found = new Set(
      findPatterns(values, { maxPeriod: 300 })
        .filter((f) => f.confidence >= 0.5)
        .map((f) => f.kind as PatternKind),
    );
    for (const kind of KINDS) {
      const t = tally.get(kind) as { tp: number; fp: number; fn: number };
      if (planted.has(kind) && found.has(kind)) t.tp++;
      else if (found.has(kind)) t.fp++;
      else if (planted.has(kind)) t.fn++;
    }
  }
  return KINDS.map((kind) => {
    const t = tally.get(kind) as { tp: number; fp: number; fn: number };
    return {
      kind,
      precision: t.tp / Math.max(1, t.tp + t.fp),
      recall: t.tp / Math.max(1, t.tp + t.fn),
      support: t.tp + t.fn,
    };
  });
}

export interface VmFindings {
  readonly vmCount: number;
  readonly counts: Record<string, number>;
  readonly periods: Record<string, number>;
  readonly imbalance: string;
  /** VMs whose lag-24 h autocorrelation is ≥ 0.5, and how many of them have a peak there. */
  readonly dailyAutocorrelation: { readonly high: number; readonly peaked: number };
}

/**
 * Separates a daily cycle from slow multi-day variation: both give a high autocorrelation at 24 h,
 * but only a cycle makes it a peak (above lags 23 and 25, and 0.1 above the lowest of lags 12–23).
 */
function dailyAutocorrelation(hourly: readonly Float64Array[]): { high: number; peaked: number } {
  let high = 0;
  let peaked = 0;
  for (const values of hourly) {
    const acf = autocorrelation(values, 25);
    const at = (lag: number) => acf[lag] as number;
    if (at(24) < 0.5) continue;
    high++;
    const trough = Math.min(...Array.from({ length: 12 }, (_, i) => at(12 + i)));
    if (at(24) >= at(23) && at(24) >= at(25) && at(24) - trough >= 0.1) peaked++;
  }
  return { high, peaked };
}

/** What the pattern detectors report on the VM average-CPU traces (hourly means, 28 days). */
export function findingsOnVms(dataDir: string): VmFindings {
  const { series } = readVmCsv(join(dataDir, 'azure-vm-cpu-2017', 'azure_vm_cpu_avg_5min_100vms.csv'));
  const counts: Record<string, number> = {};
  const periods: Record<string, number> = {};
  const hourly = series.map((values) =>
    Float64Array.from(
      { length: Math.floor(values.length / 12) },
      (_, h) => values.subarray(h * 12, h * 12 + 12).reduce((a, b) => a + b, 0) / 12,
    ),
  );
  for (const values of hourly) {
    for (const finding of findPatterns(values, { maxPeriod: 24 * 8 }).filter((f) => f.confidence >= 0.5)) {
      counts[finding.kind] = (counts[finding.kind] ?? 0) + 1;
      if (finding.kind === 'periodic') {
        const p = `${finding.evidence['period'] as number} h`;
        periods[p] = (periods[p] ?? 0) + 1;
      }
    }
  }
  const imbalance = detectImbalance(series);
  return {
    vmCount: series.length,
    counts,
    periods,
    imbalance: imbalance ? imbalance.description : 'no imbalance above CV 0.5',
    dailyAutocorrelation: dailyAutocorrelation(hourly),
  };
}

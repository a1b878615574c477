import { naive } from './models/naive';
import { createSelector, evidenceWeight, horizonBenchmark } from './selector';
import type { Forecaster } from './types';

const H = 10;
/** A ramp: the naive forecast is off by k at step k, so its MASE is 5.5 at every origin. */
const ramp = Float64Array.from({ length: 200 }, (_, t) => t);

/**
 * Continues the ramp exactly from histories of the lengths in `rightAt` (and from the full history),
 * and forecasts one below the last value from any other: a little worse than naive there.
 */
function scripted(rightAt: readonly number[]): Forecaster {
  return {
    name: 'scripted',
    fit(history) {
      const last = history[history.length - 1] as number;
      const right = rightAt.includes(history.length) || history.length === ramp.length;
      return {
        model: 'scripted',
        forecast(horizon) {
          const mean = Float64Array.from({ length: horizon }, (_, k) => (right ? last + k + 1 : last - 1));
          return { model: 'scripted', mean, lower: mean, upper: mean, level: 0.95, notes: [] };
        },
      };
    },
  };
}

/** Where the first forecast step lies between naive (0) and the scripted forecast (1). */
function trustIn(candidate: Forecaster, shrink: boolean): number {
  const selector = createSelector({
    candidates: [naive, candidate],
    validationHorizon: H,
    origins: 5,
    mode: 'best',
    ...(shrink ? { shrinkTowards: ['naive'] } : {}),
  });
  const first = selector.fit(ramp, { periods: [] }).forecast(H).mean[0] as number;
  return first - 199;
}

describe('selector shrinkage toward a baseline', () => {
  it('keeps most of the baseline when the chosen model won on one origin of five', () => {
    const lucky = scripted([190]);
    expect(trustIn(lucky, false)).toBeCloseTo(1);
    const trust = trustIn(lucky, true);
    expect(trust).toBeGreaterThan(0);
    expect(trust).toBeLessThan(0.2);
  });

  it('trusts a model fully that beat the baseline at every origin', () => {
    expect(trustIn(scripted([190, 180, 170, 160, 150]), true)).toBeCloseTo(1);
  });

  it('weighs evidence by the t statistic of the per-origin error differences', () => {
    expect(evidenceWeight([2, 2, 2], [1, 1, 1], 2)).toBe(1);
    expect(evidenceWeight([1, 1, 1], [1, 2, 1], 2)).toBe(0);
    // Differences 1, 0.5, 0: mean 0.5, standard error 0.29, t = 1.73.
    expect(evidenceWeight([2, 2, 2], [1, 1.5, 2], 2)).toBeCloseTo(0.866, 3);
    expect(evidenceWeight([2], [1], 2)).toBe(0.5);
    expect(evidenceWeight([], [], 2)).toBe(0);
  });
});

describe('horizonBenchmark', () => {
  it('is naive below one seasonal cycle and seasonal naive from one cycle on', () => {
    expect(horizonBenchmark(12, 288)).toBe('naive');
    expect(horizonBenchmark(288, 288)).toBe('seasonal-naive(288)');
    expect(horizonBenchmark(48, 24)).toBe('seasonal-naive(24)');
    expect(horizonBenchmark(48, undefined)).toBe('naive');
  });
});

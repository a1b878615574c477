import { ModelFitError } from '../core/errors';
import { mase, maseScale } from './metrics';
import { outputProblem } from './guarded';
import { DEFAULT_LEVEL, type FitContext, type FittedModel, type Forecast, type Forecaster } from './types';

export interface SelectorOptions {
  readonly candidates: readonly Forecaster[];
  /** Forecast length scored at each validation origin. */
  readonly validationHorizon: number;
  /** Number of rolling origins, each one horizon earlier than the previous (default 2). */
  readonly origins?: number;
  /** 'best' uses the single lowest-error model; 'combine' weights the top `topK` by inverse error. */
  readonly mode?: 'best' | 'combine';
  readonly topK?: number;
  /** Steps between consecutive validation origins (default: the validation horizon, so blocks do not overlap). */
  readonly originSpacing?: number;
  /**
   * Names of simple candidates to fall back on. With it, the forecast is shrunk toward the best of
   * them on validation, `w · chosen + (1 − w) · baseline`, where `w` grows with the evidence that
   * the chosen forecast beats that baseline: the t statistic of the per-origin error differences,
   * w = clamp(t / `fullTrustT`, 0, 1). Few or inconsistent wins leave the baseline.
   */
  readonly shrinkTowards?: readonly string[];
  /** t statistic at which the chosen forecast is trusted fully (default 2). */
  readonly fullTrustT?: number;
}

/** Validation error of one candidate; Infinity when it failed at some origin. */
export interface CandidateScore {
  readonly name: string;
  readonly mase: number;
  /** MASE at each origin, the latest first (empty when the candidate failed). */
  readonly errors: readonly number[];
}

/** Rolling-origin validation: each candidate forecasts the last `origins` blocks of the history. */
export function validateCandidates(
  history: Float64Array,
  context: FitContext,
  options: SelectorOptions,
): CandidateScore[] {
  const h = options.validationHorizon;
  const origins = options.origins ?? 2;
  const spacing = options.originSpacing ?? h;
  const period = context.periods[0] ?? 1;
  return options.candidates.map((candidate) => {
    const errors: number[] = [];
    for (let k = 0; k < origins; k++) {
      const cut = history.length - h - k * spacing;
      const train = history.subarray(0, cut);
      const actual = history.subarray(cut, cut + h);
      const error = scoreOnce(candidate, train, actual, context, period);
      if (!Number.isFinite(error))
        return { name: candidate.name, mase: Number.POSITIVE_INFINITY, errors: [] };
      errors.push(error);
    }
    return { name: candidate.name, mase: errors.reduce((a, b) => a + b, 0) / origins, errors };
  });
}

function scoreOnce(
  candidate: Forecaster,
  train: Float64Array,
  actual: Float64Array,
  context: FitContext,
  period: number,
): number {
  try {
    const forecast = candidate.fit(train, context).forecast(actual.length);
    if (outputProblem(forecast, train)) return Number.POSITIVE_INFINITY;
    return mase(actual, forecast.mean, maseScale(train, period));
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * A forecaster that chooses among candidates by rolling-origin validation error and refits the
 * winner(s) on the full history. With 'combine', forecasts of the best few are averaged with
 * weights ∝ 1/error, which is usually more accurate than any single choice.
 */
export function createSelector(options: SelectorOptions): Forecaster {
  const mode = options.mode ?? 'combine';
  const topK = mode === 'best' ? 1 : (options.topK ?? 3);
  return {
    name: mode === 'best' ? 'selector' : 'ensemble',
    fit(history: Float64Array, context: FitContext): FittedModel {
      const scores = validateCandidates(history, context, options);
      const ranked = scores
        .map((score, i) => ({ score, forecaster: options.candidates[i] as Forecaster }))
        .filter(({ score }) => Number.isFinite(score.mase))
        .sort((a, b) => a.score.mase - b.score.mase);
      const members: { fitted: FittedModel; weight: number; entry: Ranked }[] = [];
      for (const entry of ranked) {
        const { score, forecaster } = entry;
        if (members.length >= topK) break;
        try {
          members.push({
            fitted: forecaster.fit(history, context),
            weight: 1 / Math.max(score.mase, 1e-6),
            entry,
          });
        } catch {
          // A model that validated but fails on the full history is skipped; the next one takes its place.
        }
      }
      if (members.length === 0)
        throw new ModelFitError(
          `no candidate passed validation: ${scores.map((s) => `${s.name}=${s.mase}`).join(', ')}`,
        );
      const chosen = combine(members, scores);
      const baseline = options.shrinkTowards ? bestBaseline(ranked, options.shrinkTowards) : undefined;
      // Nothing to shrink toward, or the baseline is the whole choice already.
      if (!baseline || (members.length === 1 && members[0]?.entry === baseline)) return chosen;
      const chosenErrors = blendedErrors(
        members.map((m) => m.entry),
        members,
      );
      const trust = evidenceWeight(baseline.score.errors, chosenErrors, options.fullTrustT ?? 2);
      if (trust >= 1) return chosen;
      try {
        const fallback = baseline.forecaster.fit(history, context);
        return trust <= 0
          ? fallback
          : combine(
              [
                { fitted: chosen, weight: trust },
                { fitted: fallback, weight: 1 - trust },
              ],
              scores,
            );
      } catch {
        return chosen;
      }
    },
  };
}

/**
 * The usual benchmark for a horizon, to shrink a selector toward: naive below one seasonal cycle,
 * seasonal naive from one cycle on (the name of `seasonalNaive(period)`).
 */
export function horizonBenchmark(horizon: number, period: number | undefined): string {
  return period === undefined || horizon < period ? 'naive' : `seasonal-naive(${period})`;
}

type Ranked = { score: CandidateScore; forecaster: Forecaster };

/** The best-validated baseline candidate, if any of the named ones validated. */
function bestBaseline(ranked: readonly Ranked[], names: readonly string[]): Ranked | undefined {
  return ranked.find((r) => names.includes(r.score.name));
}

/** Per-origin errors of the chosen forecast, approximated by the weighted errors of its members. */
function blendedErrors(members: readonly Ranked[], weights: readonly { weight: number }[]): number[] {
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  const origins = members[0]?.score.errors.length ?? 0;
  return Array.from({ length: origins }, (_, i) =>
    members.reduce((sum, m, k) => sum + ((weights[k]?.weight ?? 0) / total) * (m.score.errors[i] ?? 0), 0),
  );
}

/**
 * How far to trust a forecast over a baseline from their per-origin validation errors: the t
 * statistic of the error differences scaled so that `fullTrustT` gives 1; 0 when the forecast is
 * not better on average. One origin gives no spread, so it counts as weak evidence (half trust at most).
 */
export function evidenceWeight(
  baseline: readonly number[],
  chosen: readonly number[],
  fullTrustT: number,
): number {
  const n = Math.min(baseline.length, chosen.length);
  if (n === 0) return 0;
  const diffs = Array.from({ length: n }, (_, i) => (baseline[i] as number) - (chosen[i] as number));
  const meanDiff = diffs.reduce((a, b) => a + b, 0) / n;
  if (!(meanDiff > 0)) return 0;
  if (n === 1) return 0.5;
  const variance = diffs.reduce((sum, d) => sum + (d - meanDiff) ** 2, 0) / (n - 1);
  const t = variance > 0 ? meanDiff / Math.sqrt(variance / n) : Number.POSITIVE_INFINITY;
  return Math.min(1, t / fullTrustT);
}

function combine(members: { fitted: FittedModel; weight: number }[], scores: CandidateScore[]): FittedModel {
  const totalWeight = members.reduce((sum, m) => sum + m.weight, 0);
  const label =
    members.length === 1
      ? (members[0] as { fitted: FittedModel }).fitted.model
      : `ensemble[${members.map((m) => `${m.fitted.model}:${(m.weight / totalWeight).toFixed(2)}`).join(', ')}]`;
  const validation = `validation MASE: ${scores.map((s) => `${s.name} ${s.mase.toFixed(3)}`).join(', ')}`;
  return {
    model: label,
    forecast(horizon: number, level = DEFAULT_LEVEL): Forecast {
      const parts = members.map((m) => ({
        forecast: m.fitted.forecast(horizon, level),
        weight: m.weight / totalWeight,
      }));
      const blend = (pick: (f: Forecast) => Float64Array) =>
        Float64Array.from({ length: horizon }, (_, h) =>
          parts.reduce((sum, p) => sum + p.weight * (pick(p.forecast)[h] as number), 0),
        );
      return {
        model: label,
        mean: blend((f) => f.mean),
        lower: blend((f) => f.lower),
        upper: blend((f) => f.upper),
        level,
        notes: [validation],
      };
    },
  };
}

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
}

/** Validation error of one candidate; Infinity when it failed at some origin. */
export interface CandidateScore {
  readonly name: string;
  readonly mase: number;
}

/** Rolling-origin validation: each candidate forecasts the last `origins` blocks of the history. */
export function validateCandidates(
  history: Float64Array,
  context: FitContext,
  options: SelectorOptions,
): CandidateScore[] {
  const h = options.validationHorizon;
  const origins = options.origins ?? 2;
  const period = context.periods[0] ?? 1;
  return options.candidates.map((candidate) => {
    let total = 0;
    for (let k = 1; k <= origins; k++) {
      const cut = history.length - k * h;
      const train = history.subarray(0, cut);
      const actual = history.subarray(cut, cut + h);
      const error = scoreOnce(candidate, train, actual, context, period);
      if (!Number.isFinite(error)) return { name: candidate.name, mase: Number.POSITIVE_INFINITY };
      total += error;
    }
    return { name: candidate.name, mase: total / origins };
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
      const members: { fitted: FittedModel; weight: number }[] = [];
      for (const { score, forecaster } of ranked) {
        if (members.length >= topK) break;
        try {
          members.push({ fitted: forecaster.fit(history, context), weight: 1 / Math.max(score.mase, 1e-6) });
        } catch {
          // A model that validated but fails on the full history is skipped; the next one takes its place.
        }
      }
      if (members.length === 0)
        throw new ModelFitError(
          `no candidate passed validation: ${scores.map((s) => `${s.name}=${s.mase}`).join(', ')}`,
        );
      return combine(members, scores);
    },
  };
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

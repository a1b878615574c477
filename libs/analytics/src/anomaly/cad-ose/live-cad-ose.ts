import { InvalidInputError } from '../../core/errors';
import type { StreamingDetector } from '../types';
import { contextLearner, rawScore, type ContextLearner } from './cad-ose';
import { encodeLevel, type ValueRange } from './encoding';

export interface LiveCadOseOptions {
  /** Values whose minimum and maximum fix the first range; nothing is scored before (default 150). */
  readonly learningLength?: number;
  /** Share of the span added beyond an edge a value has crossed, so the next excursion has room (default 0.4). */
  readonly margin?: number;
  /**
   * The context memory always holds what a fresh memory learns from the last `historyLength` to
   * `2 · historyLength` values: bounded memory, and a range change relearns them re-quantised (default 4000).
   */
  readonly historyLength?: number;
  /** Values between two re-quantisations at least, which bounds the replay work per value (default 1000). */
  readonly minRequantiseGap?: number;
  /** Values muted after a raw score at or above `baseThreshold` (default 150, NAB's 750-row probation / 5). */
  readonly restPeriod?: number;
  readonly baseThreshold?: number;
  readonly valueBits?: number;
  readonly maxLeftMatch?: number;
  readonly maxActiveContexts?: number;
  /** Score 0 when every fact of the value was predicted (default false, as NAB's reference). */
  readonly gateOnPrediction?: boolean;
}

/** Everything the detector needs to continue exactly where it was: plain JSON. */
export interface LiveCadOseState {
  readonly version: 1;
  /** The encoding range, absent while the first range is still being learned. */
  readonly range?: ValueRange;
  /** The values the context memory was learned from, oldest first (during learning: the values so far). */
  readonly history: number[];
  readonly sinceRequantise: number;
  /** Extremes seen outside the range and not yet taken into it. */
  readonly pending?: ValueRange;
  readonly sinceStrongScore: number;
}

export interface LiveCadOseDetector extends StreamingDetector {
  readonly contextCount: number;
  /** The current encoding range (undefined while learning it). */
  readonly range: ValueRange | undefined;
  /** Values held for relearning; never more than `2 · historyLength`. */
  readonly historySize: number;
  snapshot(): LiveCadOseState;
}

/**
 * CAD OSE for a live stream, told nothing in advance. It learns its range from the first
 * `learningLength` values, then keeps the context memory tied to the values it was learned from:
 * when values leave the range, the range grows (with a margin) and the memory is relearned from
 * the recent values re-encoded on the new levels, so learned contexts keep meaning the same
 * thing; every `historyLength` values the memory is also relearned from the recent history,
 * which forgets old behaviour and bounds memory. The state is the range, that history and two
 * counters, so a snapshot is small and restoring it replays the history into an identical memory.
 *
 * Work per value: one CAD OSE step, plus a replay of at most `2 · historyLength` steps at most
 * once per `min(minRequantiseGap, historyLength)` values — O(1) amortised.
 */
export function liveCadOseDetector(
  options: LiveCadOseOptions = {},
  state?: LiveCadOseState,
): LiveCadOseDetector {
  const config = resolve(options);
  let learner: ContextLearner = freshLearner(config);
  let predicted: ReadonlySet<number> = new Set<number>();
  let range: ValueRange | undefined;
  let history: number[] = [];
  let sinceRequantise = 0;
  let pending: { min: number; max: number } | undefined;
  let sinceStrongScore = 0;

  /** Relearns the memory from `values` on the current range; returns their raw scores. */
  const relearn = (values: number[]): number[] => {
    learner = freshLearner(config);
    predicted = new Set<number>();
    history = values;
    return values.map((v) => learnOne(v));
  };
  const learnOne = (value: number): number => {
    const facts = encodeLevel(config.valueBits, range as ValueRange, value);
    const step = learner.step(facts, config.gateOnPrediction);
    const raw = rawScore(facts, predicted, step, config.gateOnPrediction);
    predicted = step.predicted;
    return raw;
  };
  const emit = (raw: number): number => {
    const score = sinceStrongScore >= config.restPeriod ? raw : 0;
    sinceStrongScore = raw >= config.baseThreshold ? 0 : sinceStrongScore + 1;
    return Math.min(1, Math.max(0, score));
  };

  if (state) {
    validateState(state);
    range = state.range;
    pending = state.pending ? { ...state.pending } : undefined;
    if (range) relearn([...state.history]);
    else history = [...state.history];
    sinceRequantise = state.sinceRequantise;
    sinceStrongScore = state.sinceStrongScore;
  }

  return {
    name: 'cad-ose-live',
    get contextCount() {
      return learner.memory.size;
    },
    get range() {
      return range;
    },
    get historySize() {
      return history.length;
    },
    update(value: number): number {
      if (!Number.isFinite(value)) return 0;
      if (!range) {
        history.push(value);
        if (history.length < config.learningLength) return 0;
        range = learnedRange(history, config.margin);
        // The first range is learned: the values so far are learned on it, and their scores
        // drive the rest period as if they had been scored live.
        relearn(history).forEach((raw) => emit(raw));
        return 0;
      }
      const score = emit(learnOne(value));
      history.push(value);
      sinceRequantise++;
      if (value < range.min || value > range.max)
        pending = {
          min: Math.min(pending?.min ?? value, value),
          max: Math.max(pending?.max ?? value, value),
        };
      if (pending && sinceRequantise >= config.minRequantiseGap) {
        range = widened(range, pending, config.margin);
        pending = undefined;
        sinceRequantise = 0;
        relearn(history.slice(-config.historyLength));
      } else if (history.length >= 2 * config.historyLength) relearn(history.slice(-config.historyLength));
      return score;
    },
    snapshot(): LiveCadOseState {
      return {
        version: 1,
        ...(range ? { range: { ...range } } : {}),
        history: [...history],
        sinceRequantise,
        ...(pending ? { pending: { ...pending } } : {}),
        sinceStrongScore,
      };
    },
  };
}

type ResolvedOptions = Required<LiveCadOseOptions>;

function resolve(options: LiveCadOseOptions): ResolvedOptions {
  const config: ResolvedOptions = {
    learningLength: 150,
    margin: 0.4,
    historyLength: 4000,
    minRequantiseGap: 1000,
    restPeriod: 150,
    baseThreshold: 0.75,
    valueBits: 3,
    maxLeftMatch: 7,
    maxActiveContexts: 15,
    gateOnPrediction: false,
    ...options,
  };
  for (const field of ['learningLength', 'historyLength', 'minRequantiseGap'] as const)
    if (!Number.isInteger(config[field]) || config[field] < 1)
      throw new InvalidInputError(`${field} must be a positive integer, got ${config[field]}`);
  if (!(config.margin >= 0) || !Number.isFinite(config.margin))
    throw new InvalidInputError(`margin must be a finite number ≥ 0, got ${config.margin}`);
  return config;
}

function freshLearner(config: ResolvedOptions): ContextLearner {
  // No context cap: the memory only ever holds what 2 · historyLength values can create.
  return contextLearner(
    config.valueBits,
    config.maxLeftMatch,
    config.maxActiveContexts,
    Number.MAX_SAFE_INTEGER,
  );
}

function learnedRange(values: readonly number[], margin: number): ValueRange {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const pad = (max - min) * margin;
  return { min: min - pad, max: max + pad };
}

/** The range grown to take in `seen`, with the margin added beyond each edge that was crossed. */
function widened(range: ValueRange, seen: ValueRange, margin: number): ValueRange {
  const min = Math.min(range.min, seen.min);
  const max = Math.max(range.max, seen.max);
  const pad = (max - min) * margin;
  return { min: seen.min < range.min ? min - pad : min, max: seen.max > range.max ? max + pad : max };
}

function validateState(state: LiveCadOseState): void {
  const fail = (field: string, why: string) => {
    throw new InvalidInputError(`live CAD OSE state: ${field} ${why}`);
  };
  if (state === null || typeof state !== 'object') fail('state', 'must be an object');
  if (state.version !== 1) fail('version', `must be 1, got ${String(state.version)}`);
  if (
    !Array.isArray(state.history) ||
    !state.history.every((v) => typeof v === 'number' && Number.isFinite(v))
  )
    fail('history', 'must be an array of finite numbers');
  for (const field of ['sinceRequantise', 'sinceStrongScore'] as const)
    if (!Number.isInteger(state[field]) || state[field] < 0) fail(field, 'must be an integer ≥ 0');
  for (const field of ['range', 'pending'] as const) {
    const r = state[field];
    if (r === undefined) continue;
    if (typeof r !== 'object' || !Number.isFinite(r.min) || !Number.isFinite(r.max) || r.min > r.max)
      fail(field, 'must be { min, max } with finite min ≤ max');
  }
}

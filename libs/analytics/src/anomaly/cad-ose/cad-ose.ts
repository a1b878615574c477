import type { StreamingDetector } from '../types';
import { ContextMemory, key } from './context-memory';
import { rangeEncoder, type LearnedRange, type ValueRange } from './encoding';

export interface CadOseOptions {
  /**
   * Value range used to quantise inputs. NAB's rules let a detector be told each file's minimum and
   * maximum, and the published CAD OSE result uses them; without it the range is learned from the
   * stream (see `rangeEncoder`; default: warm-up 150 values, margin 0.25).
   */
  readonly range?: ValueRange | LearnedRange;
  /** Bits per value: 2^bits levels over the range (default 3, as published). */
  readonly valueBits?: number;
  /** After a raw score at or above this, later scores are muted for `restPeriod` values (default 0.75). */
  readonly baseThreshold?: number;
  /**
   * Values muted after a strong score, and at the start (default 150). NAB's reference uses a
   * fifth of the file's probationary period, see `nabCadOseOptions`.
   */
  readonly restPeriod?: number;
  /** Longest partial left match turned into a new context (default 7). */
  readonly maxLeftMatch?: number;
  /** Contexts whose facts feed the next left side, the most often activated first (default 15). */
  readonly maxActiveContexts?: number;
  /** Learning stops at this many contexts: bounds memory and time per value (default 50,000). */
  readonly maxContexts?: number;
  /**
   * Score 0 when every fact of the value was among those predicted for it (default false: NAB's
   * reference scores every value by its context shares alone).
   */
  readonly gateOnPrediction?: boolean;
}

/**
 * Contextual Anomaly Detector, open-source edition (CAD OSE; Smirnov & Fedorov, NAB 2016),
 * reimplemented in TypeScript from the published algorithm. Each value becomes a few binary
 * facts; the detector learns which facts follow which (facts plus the contexts active one step
 * earlier), predicts the next facts, and scores a value by how few of the contexts it expected
 * were confirmed and how many new contexts it had to learn. It flags values of ordinary size that
 * break a learned sequence, which size-based detectors cannot see.
 *
 * Streaming, no look-ahead (unless a range is supplied, which NAB permits), memory bounded by
 * `maxContexts`; time per value is proportional to the contexts sharing a fact with the input.
 */
export interface CadOseDetector extends StreamingDetector {
  /** Contexts learned so far (at most `maxContexts`): memory use and time per value grow with it. */
  readonly contextCount: number;
}

export function cadOseDetector(options: CadOseOptions = {}): CadOseDetector {
  const {
    valueBits = 3,
    baseThreshold = 0.75,
    restPeriod = 150,
    maxLeftMatch = 7,
    maxActiveContexts = 15,
    maxContexts = 50_000,
    gateOnPrediction = false,
  } = options;
  const encode = rangeEncoder(valueBits, options.range ?? { warmup: 150, margin: 0.25 });
  const learner = contextLearner(valueBits, maxLeftMatch, maxActiveContexts, maxContexts);
  let predicted: ReadonlySet<number> = new Set<number>();
  // The detector starts muted, as if a strong score had just been seen: nothing is learned yet.
  let sinceStrongScore = 0;
  return {
    name: 'cad-ose',
    get contextCount() {
      return learner.memory.size;
    },
    update(value: number): number {
      if (!Number.isFinite(value)) return 0;
      const facts = encode(value);
      const step = learner.step(facts, gateOnPrediction);
      const raw = rawScore(facts, predicted, step, gateOnPrediction);
      predicted = step.predicted;
      const score = sinceStrongScore >= restPeriod ? raw : 0;
      sinceStrongScore = raw >= baseThreshold ? 0 : sinceStrongScore + 1;
      return Math.min(1, Math.max(0, score));
    },
  };
}

/**
 * CAD OSE's score of one value: half of (share of the selected contexts the value failed to
 * confirm + share of new contexts it created). With `gate`, a value whose facts were all predicted
 * scores 0.
 */
export function rawScore(
  facts: readonly number[],
  predicted: ReadonlySet<number>,
  step: LearnerStep,
  gate: boolean,
): number {
  if (gate && facts.every((fact) => predicted.has(fact))) return 0;
  return (1 - step.confirmedShare + step.noveltyShare) / 2;
}

export interface LearnerStep {
  /** Facts expected for the next value. */
  readonly predicted: ReadonlySet<number>;
  /** Share of the contexts selected by the previous value that this value confirmed. */
  readonly confirmedShare: number;
  /** Share of the contexts this value could have created that were new. */
  readonly noveltyShare: number;
}

const NOTHING_PREDICTED: ReadonlySet<number> = new Set();

export type ContextLearner = ReturnType<typeof contextLearner>;

/** One learning step of CAD OSE over the facts of one value. */
export function contextLearner(
  valueBits: number,
  maxLeftMatch: number,
  maxActive: number,
  maxContexts: number,
) {
  const memory = new ContextMemory(maxLeftMatch, maxContexts);
  // Facts of active contexts are numbered after the value facts (2 per bit), so the two never collide.
  const contextFactBase = 2 * valueBits;
  let leftFacts: number[] = [];
  return {
    memory,
    step(facts: readonly number[], predictNext: boolean): LearnerStep {
      const considered = new Set<string>();
      let newZeroLevel = false;
      if (leftFacts.length > 0) {
        considered.add(`${key(leftFacts)}|${key(facts)}`);
        newZeroLevel = memory.storeZeroLevel(leftFacts, facts);
      }
      memory.crossRight(facts);
      const { active, selected, candidates } = memory.activate(newZeroLevel);
      for (const c of candidates) considered.add(c.key);
      const strongest = mostActivated(active, maxActive).map((a) => contextFactBase + a.id);
      leftFacts = [...facts, ...strongest].sort((a, b) => a - b);
      let added = candidates.length > 0 ? memory.storeCandidates(candidates) : 0;
      memory.crossLeft(leftFacts);
      if (newZeroLevel) added++;
      return {
        predicted: predictNext ? memory.predict() : NOTHING_PREDICTED,
        confirmedShare: selected > 0 ? active.length / selected : 0,
        noveltyShare: newZeroLevel && considered.size > 0 ? added / considered.size : 0,
      };
    },
  };
}

type Activation = { readonly id: number; readonly activations: number };

const ranksBefore = (a: Activation, b: Activation) =>
  a.activations > b.activations || (a.activations === b.activations && a.id < b.id);

/** The `k` most activated contexts (ties: the older first), without sorting all of them. */
export function mostActivated(active: readonly Activation[], k: number): Activation[] {
  const top: Activation[] = [];
  if (k <= 0) return top;
  for (const candidate of active) {
    if (top.length === k && !ranksBefore(candidate, top[k - 1] as Activation)) continue;
    let at = top.length;
    while (at > 0 && ranksBefore(candidate, top[at - 1] as Activation)) at--;
    top.splice(at, 0, candidate);
    if (top.length > k) top.pop();
  }
  return top;
}

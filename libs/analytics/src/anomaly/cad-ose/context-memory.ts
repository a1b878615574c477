/**
 * Context memory of the Contextual Anomaly Detector (CAD OSE, Smirnov & Fedorov 2016), reimplemented
 * from the published algorithm. A context is a pair (left facts → right facts): "after this set of
 * facts, these facts followed". Contexts are split into left and right semi-contexts so that many
 * contexts can share one side, and each fact indexes the semi-contexts that contain it, so matching
 * the current facts touches only the semi-contexts that share a fact with them.
 */

/** One side of one or more contexts: a sorted set of facts and how many of them the last input matched. */
interface SemiContext {
  readonly facts: readonly number[];
  /** Facts of the last crossed input that belong to this semi-context, in input (sorted) order. */
  matched: number[];
}

interface LeftSemiContext extends SemiContext {
  /** Right semi-context id → context id of every context with this left side. */
  readonly contexts: Map<number, number>;
  /** The same pairs as arrays, for the per-step scans (faster to walk than the map). */
  readonly rightIds: number[];
  readonly contextIds: number[];
}

interface Context {
  readonly leftId: number;
  readonly rightId: number;
  readonly rightFacts: readonly number[];
  /** Sum of right-side sizes over the steps its left side fully matched (the facts it predicted). */
  predictedFacts: number;
  /** Sum of right-side facts that then actually occurred. */
  confirmedFacts: number;
  /** Steps on which the context matched completely, left then right. */
  activations: number;
  /** Learned from two consecutive inputs directly, rather than from a crossing of other contexts. */
  zeroLevel: boolean;
}

/** A pair of fact sets that may become a new context. */
export interface CandidateContext {
  /** `left|right` facts, comma-separated: equal keys are the same candidate. */
  readonly key: string;
  readonly left: readonly number[];
  readonly right: readonly number[];
}

/** What the right-side match of one input tells about the contexts selected by the previous input. */
export interface ActivationResult {
  /** Context ids that matched completely, with their activation counts after this step. */
  readonly active: { readonly id: number; readonly activations: number }[];
  /** Contexts whose left side matched the previous input completely. */
  readonly selected: number;
  /** Partial matches that may be stored as new, more general contexts, each once. */
  readonly candidates: CandidateContext[];
}

export const key = (facts: readonly number[]): string => facts.join(',');

export class ContextMemory {
  private readonly lefts: LeftSemiContext[] = [];
  private readonly rights: SemiContext[] = [];
  private readonly contexts: Context[] = [];
  private readonly leftIdByKey = new Map<string, number>();
  private readonly rightIdByKey = new Map<string, number>();
  private readonly leftsByFact = new Map<number, LeftSemiContext[]>();
  private readonly rightsByFact = new Map<number, SemiContext[]>();
  private crossedLefts: LeftSemiContext[] = [];
  private crossedRights: SemiContext[] = [];
  /** The zero-level context stored at the start of this step; it must not confirm itself. */
  private justStored = -1;

  /** @param maxContexts learning stops at this many contexts, which bounds memory and time per value. */
  constructor(
    private readonly maxLeftMatch: number,
    private readonly maxContexts: number,
  ) {}

  get size(): number {
    return this.contexts.length;
  }

  /** Stores "previous facts → current facts" as a zero-level context; true when it was new. */
  storeZeroLevel(left: readonly number[], right: readonly number[]): boolean {
    const found = this.findOrStore(left, right, true);
    if (found.created) this.justStored = found.id;
    else if (found.id >= 0) (this.contexts[found.id] as Context).zeroLevel = true;
    return found.created;
  }

  /** Stores candidate contexts; returns how many were new. */
  storeCandidates(candidates: readonly CandidateContext[]): number {
    let added = 0;
    for (const { left, right } of candidates) if (this.findOrStore(left, right, false).created) added++;
    return added;
  }

  /** Matches the current input facts against every right semi-context that shares a fact with it. */
  crossRight(facts: readonly number[]): void {
    this.crossedRights = cross(facts, this.rightsByFact, this.crossedRights);
  }

  /** Matches the left-side facts (input plus active contexts) for the next prediction. */
  crossLeft(facts: readonly number[]): void {
    this.crossedLefts = cross(facts, this.leftsByFact, this.crossedLefts);
  }

  /**
   * After `crossRight`: credits every context whose left side matched the previous input with the
   * facts its right side got right, activates the ones that matched completely, and (when the step
   * brought a new zero-level context) proposes the partial matches as candidate contexts.
   */
  activate(learn: boolean): ActivationResult {
    const active: { id: number; activations: number }[] = [];
    const candidates = new Map<string, CandidateContext>();
    // Keys are built once per semi-context and step: many contexts share each side.
    const rightKeys = new Map<SemiContext, string>();
    let selected = 0;
    for (const left of this.crossedLefts) {
      const leftComplete = left.matched.length === left.facts.length;
      let leftKey: string | undefined;
      for (let k = 0; k < left.contextIds.length; k++) {
        const contextId = left.contextIds[k] as number;
        if (contextId === this.justStored) continue;
        const rightId = left.rightIds[k] as number;
        const context = this.contexts[contextId] as Context;
        const right = this.rights[rightId] as SemiContext;
        const hits = right.matched.length;
        const mayGeneralise =
          learn && context.zeroLevel && hits > 0 && left.matched.length <= this.maxLeftMatch;
        if (leftComplete) {
          selected++;
          context.predictedFacts += right.facts.length;
          context.confirmedFacts += hits;
          if (hits > 0 && hits === right.facts.length) {
            context.activations++;
            active.push({ id: contextId, activations: context.activations });
            continue;
          }
        }
        if (!mayGeneralise) continue;
        leftKey ??= key(left.matched);
        let rightKey = rightKeys.get(right);
        if (rightKey === undefined) rightKeys.set(right, (rightKey = key(right.matched)));
        const candidateKey = `${leftKey}|${rightKey}`;
        if (!candidates.has(candidateKey))
          candidates.set(candidateKey, {
            key: candidateKey,
            left: [...left.matched],
            right: [...right.matched],
          });
      }
    }
    this.justStored = -1;
    return { active, selected, candidates: [...candidates.values()] };
  }

  /**
   * After `crossLeft`: the facts predicted for the next input, the union of the right sides of the
   * fully matched contexts with the best record of confirmed predictions.
   */
  predict(): Set<number> {
    let best = 0;
    let winners: Context[] = [];
    for (const left of this.crossedLefts) {
      if (left.matched.length !== left.facts.length) continue;
      for (const contextId of left.contextIds) {
        const context = this.contexts[contextId] as Context;
        const weight = context.predictedFacts > 0 ? context.confirmedFacts / context.predictedFacts : 0;
        if (weight > best) {
          best = weight;
          winners = [context];
        } else if (weight === best) winners.push(context);
      }
    }
    const predicted = new Set<number>();
    for (const context of winners) for (const fact of context.rightFacts) predicted.add(fact);
    return predicted;
  }

  private findOrStore(
    left: readonly number[],
    right: readonly number[],
    zeroLevel: boolean,
  ): { id: number; created: boolean } {
    const leftId = this.semiContextId(left, this.lefts, this.leftIdByKey, this.leftsByFact, true);
    const rightId = this.semiContextId(right, this.rights, this.rightIdByKey, this.rightsByFact, false);
    if (leftId < 0 || rightId < 0) return { id: -1, created: false };
    const leftSemi = this.lefts[leftId] as LeftSemiContext;
    const existing = leftSemi.contexts.get(rightId);
    if (existing !== undefined) return { id: existing, created: false };
    if (this.contexts.length >= this.maxContexts) return { id: -1, created: false };
    const id = this.contexts.length;
    this.contexts.push({
      leftId,
      rightId,
      rightFacts: right,
      predictedFacts: 0,
      confirmedFacts: 0,
      activations: 0,
      zeroLevel,
    });
    leftSemi.contexts.set(rightId, id);
    leftSemi.rightIds.push(rightId);
    leftSemi.contextIds.push(id);
    return { id, created: true };
  }

  /** Id of the semi-context with these facts, creating it unless memory is full (then −1). */
  private semiContextId<T extends SemiContext>(
    facts: readonly number[],
    all: T[],
    idByKey: Map<string, number>,
    byFact: Map<number, T[]>,
    isLeft: boolean,
  ): number {
    const k = key(facts);
    const known = idByKey.get(k);
    if (known !== undefined) return known;
    if (this.contexts.length >= this.maxContexts) return -1;
    const semi = (isLeft
      ? { facts, matched: [], contexts: new Map(), rightIds: [], contextIds: [] }
      : { facts, matched: [] }) as unknown as T;
    const id = all.length;
    all.push(semi);
    idByKey.set(k, id);
    for (const fact of facts) {
      const list = byFact.get(fact);
      if (list) list.push(semi);
      else byFact.set(fact, [semi]);
    }
    return id;
  }
}

/** Clears the previous matches, then records for each semi-context sharing a fact which facts it matched. */
function cross<T extends SemiContext>(
  facts: readonly number[],
  byFact: ReadonlyMap<number, T[]>,
  previouslyCrossed: readonly T[],
): T[] {
  // Emptied in place: the arrays are reused every step instead of reallocated.
  for (const semi of previouslyCrossed) semi.matched.length = 0;
  const crossed: T[] = [];
  for (const fact of facts) {
    for (const semi of byFact.get(fact) ?? []) {
      if (semi.matched.length === 0) crossed.push(semi);
      semi.matched.push(fact);
    }
  }
  return crossed;
}

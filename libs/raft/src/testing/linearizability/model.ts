/** A sequential specification the checker linearizes against (Porcupine's Model). */
export interface Model<State, Input, Output> {
  init(): State;
  /** Applies input; `output` undefined means the outcome is unknown and any output is accepted. */
  step(state: State, input: Input, output: Output | undefined): { ok: boolean; state: State };
  /** Splits a history into independent sub-histories (P-compositionality), e.g. per key. */
  partition?(operations: readonly HistoryOperation<Input, Output>[]): HistoryOperation<Input, Output>[][];
  /** Canonical string of a state, for the search cache. */
  stateKey(state: State): string;
  describe?(operation: HistoryOperation<Input, Output>): string;
}

export interface HistoryOperation<Input, Output> {
  readonly clientId: number;
  readonly input: Input;
  /** undefined when the client never learned the outcome (ret is then Infinity). */
  readonly output: Output | undefined;
  readonly call: number;
  readonly ret: number;
}

/**
 * What a replica needs of the replicated state machine: apply committed entries in log order
 * (deterministically: every replica computes the same result from the same entries), step over the
 * entries that are not its own (a new leader's empty entry, a membership change), and turn the whole
 * state into bytes and back for snapshots.
 */
export interface ReplicatedStateMachine {
  /** Applies the command committed at `index`; the result goes back to whoever proposed it. */
  apply(index: number, command: Uint8Array): unknown;
  /** An entry at `index` with nothing for the state machine. */
  skip(index: number): void;
  snapshot(): Uint8Array;
  restore(data: Uint8Array): void;
}

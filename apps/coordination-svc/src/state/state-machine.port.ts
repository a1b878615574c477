/**
 * What a replica needs of the replicated state machine: apply committed commands in log order
 * (deterministically: every replica computes the same result from the same entries), serve reads
 * from the applied state, and turn the whole state into bytes and back for snapshots.
 */
export interface ReplicatedStateMachine {
  /** Applies the command committed at `index`; the result goes back to whoever proposed it. */
  apply(index: number, command: Uint8Array): unknown;
  /** Answers a read from the state applied so far (the replica decides when that is fresh enough). */
  query(query: unknown): unknown;
  snapshot(): Uint8Array;
  restore(data: Uint8Array): void;
}

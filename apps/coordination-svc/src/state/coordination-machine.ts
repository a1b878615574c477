import type { Applied, Command, SessionStamp } from '@kailash/coordination';
import { CoordinationStateMachine, encodeProposal } from '@kailash/coordination';
import type { ReplicatedStateMachine } from './state-machine.port';

/**
 * The coordination state machine as a replica drives it, with listeners on every applied entry
 * (watch long-polls wake on them, the leader publishes their facts).
 */
export class CoordinationMachine implements ReplicatedStateMachine {
  readonly machine = new CoordinationStateMachine({ onApplied: (applied) => this.notify(applied) });
  private readonly listeners = new Set<(applied: Applied) => void>();

  /** A Raft entry's payload: the command, its session stamp, and the proposing leader's clock. */
  static proposal(command: Command, session: SessionStamp | undefined, now: number): Uint8Array {
    return encodeProposal({ now, command, ...(session ? { session } : {}) });
  }

  get state() {
    return this.machine.state;
  }

  onApplied(listener: (applied: Applied) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  apply(index: number, data: Uint8Array): unknown {
    return this.machine.applyEntry(index, data).response;
  }

  skip(index: number): void {
    this.machine.skip(index);
  }

  snapshot(): Uint8Array {
    return this.machine.snapshot();
  }

  restore(data: Uint8Array): void {
    this.machine.restore(data);
  }

  private notify(applied: Applied): void {
    for (const listener of this.listeners) listener(applied);
  }
}

import { DriverFailedError } from '../core/errors';
import type { RawNode } from '../core/raw-node';
import type { ConfChange, Message, NodeId } from '../core/types';

/**
 * What may happen to a node from outside (a tick, a peer's message, a client's call), each followed
 * by handling the Ready it produced. Subclasses decide how a Ready is handled: now, or awaited.
 */
export abstract class NodeInputs {
  private failure: DriverFailedError | undefined;

  protected constructor(readonly node: RawNode) {}

  /** Set once persisting, sending or applying failed; every later call throws it. */
  get failed(): DriverFailedError | undefined {
    return this.failure;
  }

  tick(): void {
    this.run((node) => node.tick());
  }

  /** A message from a peer. */
  step(message: Message): void {
    this.run((node) => node.step(message));
  }

  propose(data: Uint8Array): { index: number; term: number } {
    return this.run((node) => node.propose(data));
  }

  proposeConfChange(change: ConfChange): { index: number; term: number } {
    return this.run((node) => node.proposeConfChange(change));
  }

  readIndex(context: string): void {
    this.run((node) => node.readIndex(context));
  }

  transferLeadership(target: NodeId): void {
    this.run((node) => node.transferLeadership(target));
  }

  campaign(): void {
    this.run((node) => node.campaign());
  }

  reportUnreachable(id: NodeId): void {
    this.run((node) => node.reportUnreachable(id));
  }

  /** Runs any action on the node, then handles what it produced. Errors of the action propagate. */
  run<T>(action: (node: RawNode) => T): T {
    if (this.failure) throw this.failure;
    const result = action(this.node);
    this.drain();
    return result;
  }

  /** Handles every pending Ready (call once after creating the node: its first Ready may be waiting). */
  abstract drain(): void;

  /** Stops the driver for good; the node must be rebuilt from storage. Returns the error to throw. */
  protected fail(error: unknown): DriverFailedError {
    this.failure ??= new DriverFailedError(`raft node ${this.node.status().id} stopped: ${describe(error)}`, {
      cause: error,
    });
    return this.failure;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

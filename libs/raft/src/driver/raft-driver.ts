import { RaftError } from '../core/errors';
import type { RawNode } from '../core/raw-node';
import { NodeInputs } from './node-inputs';
import type { RaftApplication, RaftTransport, SyncStorageWriter } from './ports';
import { ReadySteps } from './ready-steps';

export interface RaftDriverOptions {
  readonly node: RawNode;
  readonly storage: SyncStorageWriter;
  readonly transport: RaftTransport;
  readonly application: RaftApplication;
}

/**
 * The Ready loop, synchronous and deterministic: every input is handled to completion (persist,
 * send, apply, advance) before the call returns. The simulator runs every node through it.
 *
 * A callback may call back into the driver (e.g. propose from applyEntry): the input reaches the node
 * at once and its Ready is handled by the loop already running, after the current one is advanced.
 * If persisting, sending or applying throws, the error propagates and the driver refuses further
 * input with DriverFailedError: the node is ahead of what it has handled and must be restarted.
 */
export class RaftDriver extends NodeInputs {
  private readonly steps: ReadySteps;
  private readonly storage: SyncStorageWriter;
  private draining = false;

  constructor(options: RaftDriverOptions) {
    super(options.node);
    this.storage = options.storage;
    this.steps = new ReadySteps(options.node, options.transport, options.application);
  }

  drain(): void {
    if (this.draining || this.failed) return;
    this.draining = true;
    try {
      while (this.node.hasReady()) {
        const ready = this.node.ready();
        this.steps.beforePersist(ready);
        const pending: unknown = this.storage.save(ready);
        if (isPromiseLike(pending))
          throw new RaftError('a synchronous driver was given asynchronous storage; use AsyncRaftDriver');
        this.steps.afterPersist(ready);
      }
    } catch (error) {
      this.fail(error);
      throw error;
    } finally {
      this.draining = false;
    }
  }
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

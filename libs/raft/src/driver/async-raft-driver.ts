import type { RawNode } from '../core/raw-node';
import { NodeInputs } from './node-inputs';
import type { AsyncStorageWriter, RaftApplication, RaftTransport, Ticker } from './ports';
import { ReadySteps } from './ready-steps';

export interface AsyncRaftDriverOptions {
  readonly node: RawNode;
  readonly storage: AsyncStorageWriter;
  readonly transport: RaftTransport;
  readonly application: RaftApplication;
  /** Source of ticks once started (e.g. intervalTicker(100)); tests pass a hand-driven one. */
  readonly ticker?: Ticker;
  /** Called once when the driver stops on an error, so the process can restart the node. */
  readonly onFailure?: (error: Error) => void;
}

/**
 * The Ready loop for a real process: the same steps as RaftDriver, but persistence is awaited. One
 * Ready is in flight at a time; inputs arriving meanwhile reach the node at once (as etcd's node
 * loop steps while the application holds a Ready) and their output waits for the next Ready, so
 * nothing they produce is sent before it is durable either.
 *
 * A failed save stops the driver before any message of its Ready is sent; so does a throwing transport
 * or application. Then `idle()` rejects, every later input throws DriverFailedError, and `onFailure`
 * is told once.
 */
export class AsyncRaftDriver extends NodeInputs {
  private readonly steps: ReadySteps;
  private pumping = false;
  private pumped: Promise<void> = Promise.resolve();
  private stopTicks: (() => void) | undefined;

  constructor(private readonly options: AsyncRaftDriverOptions) {
    super(options.node);
    this.steps = new ReadySteps(options.node, options.transport, options.application);
  }

  /** Subscribes to the ticker (if any) and handles the Ready the node may already hold. */
  start(): void {
    if (this.options.ticker && !this.stopTicks)
      this.stopTicks = this.options.ticker.every(() => this.tickUnlessFailed());
    this.drain();
  }

  /** Stops ticking and waits for the Ready in flight (rejects as idle() does). Other inputs still work. */
  async stop(): Promise<void> {
    this.stopTicks?.();
    this.stopTicks = undefined;
    await this.idle();
  }

  drain(): void {
    if (this.pumping || this.failed || !this.node.hasReady()) return;
    this.pumping = true;
    this.pumped = this.pump();
  }

  /** Resolves once no Ready is pending or in flight; rejects with DriverFailedError if the driver stopped. */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumped;
    if (this.failed) throw this.failed;
  }

  private async pump(): Promise<void> {
    try {
      while (!this.failed && this.node.hasReady()) {
        const ready = this.node.ready();
        this.steps.beforePersist(ready);
        await this.options.storage.save(ready);
        this.steps.afterPersist(ready);
      }
    } catch (error) {
      this.options.onFailure?.(this.fail(error));
    } finally {
      // Cleared in the same turn as the last hasReady() check, so no input can slip in unhandled.
      this.pumping = false;
    }
  }

  private tickUnlessFailed(): void {
    if (!this.failed) this.tick();
  }
}

/** A Ticker on the process clock; the timer does not keep the process alive. */
export function intervalTicker(periodMs: number): Ticker {
  return {
    every(onTick) {
      const timer = setInterval(onTick, periodMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

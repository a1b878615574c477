import { KailashError } from '@kailash/contracts';

interface ReadBatch {
  /** Commit index the leader confirmed; undefined until its ReadState arrives. */
  index?: number;
  readonly deadline: number;
  readonly waiters: Array<{ resolve: () => void; reject: (error: Error) => void }>;
}

/**
 * Linearizable reads through ReadIndex (Raft thesis §6.4): reads arriving together share one read
 * point; each resolves once the state machine has applied up to the commit index the leader
 * confirmed with a quorum after the read arrived. The caller then reads local state.
 */
export class ReadBatcher {
  private queued: ReadBatch['waiters'] = [];
  private readonly batches = new Map<string, ReadBatch>();
  private scheduled = false;
  private sequence = 0;

  constructor(
    private readonly requestReadIndex: (context: string) => void,
    private readonly timeoutMs: number,
    private readonly now: () => number,
  ) {}

  /** Resolves when a read arriving now may be served locally. */
  barrier(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  /** The leader answered: the batch may be served once applied reaches `index`. */
  confirmed(context: string, index: number, applied: number): void {
    const batch = this.batches.get(context);
    if (!batch) return;
    batch.index = index;
    if (index <= applied) this.release(context, batch);
  }

  /** Called after every apply: releases the batches whose read point is now applied. */
  applied(applied: number): void {
    for (const [context, batch] of this.batches)
      if (batch.index !== undefined && batch.index <= applied) this.release(context, batch);
  }

  expire(): void {
    const now = this.now();
    for (const [context, batch] of this.batches) {
      if (batch.deadline > now) continue;
      this.batches.delete(context);
      const error = new KailashError('TIMEOUT', `no quorum confirmed the read in ${this.timeoutMs} ms`, {
        retryable: true,
      });
      for (const waiter of batch.waiters) waiter.reject(error);
    }
  }

  rejectAll(error: Error): void {
    for (const batch of this.batches.values()) for (const waiter of batch.waiters) waiter.reject(error);
    this.batches.clear();
  }

  private flush(): void {
    this.scheduled = false;
    const waiters = this.queued;
    this.queued = [];
    if (waiters.length === 0) return;
    const context = `r${++this.sequence}`;
    this.batches.set(context, { deadline: this.now() + this.timeoutMs, waiters });
    try {
      this.requestReadIndex(context);
    } catch (error) {
      this.batches.delete(context);
      for (const waiter of waiters) waiter.reject(error as Error);
    }
  }

  private release(context: string, batch: ReadBatch): void {
    this.batches.delete(context);
    for (const waiter of batch.waiters) waiter.resolve();
  }
}

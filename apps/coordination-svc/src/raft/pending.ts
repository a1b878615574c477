import { KailashError } from '@kailash/contracts';

interface Waiter<T> {
  readonly term: number;
  readonly deadline: number;
  readonly resolve: (value: T) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Proposals waiting for their entry to be applied, keyed by log index. An entry is the proposer's
 * only if its term matches too: a different term at that index means a new leader overwrote it.
 */
export class PendingProposals<T = unknown> {
  private readonly waiters = new Map<number, Waiter<T>>();

  constructor(private readonly timeoutMs: number) {}

  get size(): number {
    return this.waiters.size;
  }

  wait(index: number, term: number, now: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiters.set(index, { term, deadline: now + this.timeoutMs, resolve, reject });
    });
  }

  /** Forgets a waiter whose entry was never proposed (the proposal was refused). */
  cancel(index: number): void {
    this.waiters.delete(index);
  }

  /** The entry at `index` was applied with `term`; its proposer (if any) learns the outcome. */
  applied(index: number, term: number, result: T): void {
    const waiter = this.waiters.get(index);
    if (!waiter) return;
    this.waiters.delete(index);
    if (waiter.term === term) waiter.resolve(result);
    else waiter.reject(lostError(index));
  }

  /** Rejects every waiter past its deadline; the client retries with the same session sequence. */
  expire(now: number): void {
    for (const [index, waiter] of this.waiters) {
      if (waiter.deadline > now) continue;
      this.waiters.delete(index);
      waiter.reject(
        new KailashError('TIMEOUT', `entry ${index} was not applied in ${this.timeoutMs} ms`, {
          retryable: true,
        }),
      );
    }
  }

  rejectAll(error: Error): void {
    for (const waiter of this.waiters.values()) waiter.reject(error);
    this.waiters.clear();
  }
}

function lostError(index: number): KailashError {
  return new KailashError('UNAVAILABLE', `entry ${index} was replaced by a new leader before it committed`, {
    reason: 'PROPOSAL_LOST',
    retryable: true,
  });
}

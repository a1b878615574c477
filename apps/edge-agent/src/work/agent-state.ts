import { Injectable } from '@nestjs/common';
import type { EdgeLifecycle } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';

interface HeldLease {
  readonly token: number;
  /** performance.now() by which the lease ends unless renewed: a paused process wakes up past it. */
  readonly deadline: number;
}

/**
 * What this agent knows of itself: registered or not, its lifecycle as last written, the lease it
 * holds, and the work in flight. Every request goes through `admit`, so a draining agent takes no
 * new work and one whose lease ran out (paused, partitioned, taken over) serves nothing.
 */
@Injectable()
export class AgentState {
  registered = false;
  lifecycle: EdgeLifecycle | null = null;
  draining = false;
  private lease: HeldLease | undefined;
  private everHeld = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  /** `requestedAt` is performance.now() before the request was sent: the deadline is never overestimated. */
  holdLease(token: number, ttlMs: number, requestedAt: number): void {
    this.lease = { token, deadline: requestedAt + ttlMs };
    this.everHeld = true;
  }

  loseLease(): void {
    this.lease = undefined;
  }

  leaseLive(): boolean {
    return this.lease !== undefined && performance.now() < this.lease.deadline;
  }

  /** The token to fence writes with, only while the lease is live. */
  fencingToken(): number | null {
    return this.leaseLive() ? (this.lease?.token ?? null) : null;
  }

  /** The last token held, live or not (a drain after the deadline still names it, and is refused). */
  lastToken(): number | null {
    return this.lease?.token ?? null;
  }

  inFlightCount(): number {
    return this.inFlight;
  }

  async admit<T>(work: () => Promise<T> | T): Promise<T> {
    this.refuseIfUnable();
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
    }
  }

  /** Resolves true once nothing is in flight, false if `timeoutMs` passes first. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private refuseIfUnable(): void {
    if (this.draining) throw new KailashError('UNAVAILABLE', 'this edge is draining; it takes no new work');
    if (this.leaseLive()) return;
    if (!this.everHeld) throw new KailashError('UNAVAILABLE', 'this edge agent is still starting');
    // Past its own deadline: another agent may hold the edge now, so this one must not act for it.
    throw new KailashError('CONFLICT', 'this edge agent no longer holds its lease; it serves nothing', {
      reason: 'lease-lost',
    });
  }
}

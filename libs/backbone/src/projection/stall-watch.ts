/** A projection that has not got past one stream sequence for longer than its stall threshold. */
export interface ProjectionStall {
  readonly projection: string;
  /** The stream sequence it cannot get past (the next one after its checkpoint). */
  readonly seq: number;
  readonly sinceMs: number;
  readonly forMs: number;
  readonly attempts: number;
  readonly cause: string;
}

interface Blocked {
  readonly sinceMs: number;
  readonly seq: number;
  attempts: number;
  cause: string;
  loggedAtMs?: number;
}

/**
 * Tells a projection that retries from one that is stuck. A retry is normal; failing to advance for
 * `stallAfterMs` is not, and must show (readiness, a gauge) instead of retrying in silence forever.
 * It also paces the log: one line per interval, not one per retry.
 */
export class StallWatch {
  private blocked?: Blocked;

  constructor(
    private readonly projection: string,
    private readonly stallAfterMs: number,
    private readonly now: () => number,
    private readonly report: (stalled: boolean) => void,
  ) {
    report(false);
  }

  /** Records a failed attempt to get past `seq`; true when this one should be logged. */
  failed(seq: number, cause: string): boolean {
    const now = this.now();
    if (!this.blocked || this.blocked.seq !== seq) this.blocked = { sinceMs: now, seq, attempts: 0, cause };
    const blocked = this.blocked;
    blocked.attempts++;
    blocked.cause = cause;
    this.report(this.current() !== undefined);
    if (blocked.loggedAtMs !== undefined && now - blocked.loggedAtMs < this.stallAfterMs) return false;
    blocked.loggedAtMs = now;
    return true;
  }

  /** Something was committed (or there is nothing to do): whatever blocked it is over. */
  advanced(): void {
    if (!this.blocked) return;
    this.blocked = undefined;
    this.report(false);
  }

  /** The stall, if it has lasted the threshold; reading it also refreshes the gauge. */
  current(): ProjectionStall | undefined {
    const blocked = this.blocked;
    if (!blocked) return undefined;
    const forMs = this.now() - blocked.sinceMs;
    if (forMs < this.stallAfterMs) return undefined;
    return {
      projection: this.projection,
      seq: blocked.seq,
      sinceMs: blocked.sinceMs,
      forMs,
      attempts: blocked.attempts,
      cause: blocked.cause,
    };
  }

  /** Current and gauge in one, for readers (health) that may be the first to notice the threshold passed. */
  check(): ProjectionStall | undefined {
    const stall = this.current();
    this.report(stall !== undefined);
    return stall;
  }
}

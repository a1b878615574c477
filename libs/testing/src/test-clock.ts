interface Timer {
  readonly intervalMs: number;
  readonly task: () => Promise<void>;
  nextAt: number;
}

/**
 * A clock a test moves by hand, with the periodic tasks of whoever reads it (a service's sweeper,
 * say). Time stands still until `advance`, which then runs every task that came due and resolves
 * once they all finished: a test asserts after a sweep, never after a sleep. Several service
 * instances may share one clock, as replicas share wall time; their due tasks run concurrently.
 */
export class TestClock {
  private ms: number;
  private readonly timers = new Set<Timer>();

  constructor(startMs = Date.parse('2026-12-01T08:00:00.000Z')) {
    this.ms = startMs;
  }

  nowMs(): number {
    return this.ms;
  }

  nowIso(): string {
    return new Date(this.ms).toISOString();
  }

  every(intervalMs: number, task: () => Promise<void>): () => void {
    if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0)
      throw new RangeError(`intervalMs must be a positive integer, got ${intervalMs}`);
    const timer: Timer = { intervalMs, task, nextAt: this.ms + intervalMs };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** The number of periodic tasks registered and not stopped. */
  get scheduled(): number {
    return this.timers.size;
  }

  /**
   * Moves time forward by `ms`, then runs each task that came due once (a task that missed several
   * intervals runs once, as a timer does on a busy event loop) and waits for all of them.
   */
  async advance(ms: number): Promise<void> {
    if (!Number.isSafeInteger(ms) || ms < 0)
      throw new RangeError(`a test clock only moves forward, by whole ms; got ${ms}`);
    this.ms += ms;
    const due = [...this.timers].filter((timer) => timer.nextAt <= this.ms);
    for (const timer of due)
      timer.nextAt += Math.ceil((this.ms - timer.nextAt + 1) / timer.intervalMs) * timer.intervalMs;
    await Promise.all(due.map((timer) => timer.task()));
  }
}

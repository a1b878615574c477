/**
 * Whether the read model keeps up: it is behind from the moment work waits until a write leaves
 * nothing waiting, and stalled when, while behind, no write has succeeded for `stallMs`. Times are
 * passed in, so the rule is tested without a clock.
 */
export class ProjectionProgress {
  private behindSince: number | undefined;
  private lastWrite = 0;
  lastError: string | undefined;

  constructor(private readonly stallMs: number) {}

  waiting(now: number): void {
    this.behindSince ??= now;
  }

  wrote(now: number, caughtUp: boolean): void {
    this.lastWrite = now;
    this.lastError = undefined;
    if (caughtUp) this.behindSince = undefined;
  }

  failed(error: string): void {
    this.lastError = error;
  }

  /** How long it has been stalled (0 while it keeps up). */
  stalledFor(now: number): number {
    if (this.behindSince === undefined) return 0;
    const since = now - Math.max(this.behindSince, this.lastWrite);
    return since >= this.stallMs ? since : 0;
  }
}

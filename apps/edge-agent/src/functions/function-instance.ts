const MIB = 1024 * 1024;

/**
 * One instance of a function workload. Its memory is really allocated and written (so the pages
 * are resident, not just reserved), and held until the instance is dropped. An idle instance is
 * warm until `idleUntil` on the workloads' clock: past it, it is expired whether or not the sweep
 * that frees it has run yet.
 */
export class FunctionInstance {
  busy = false;
  /** How long it stays warm once idle: the workload's keep-alive, or a prewarm's ttl. */
  keepAliveMs: number;
  private memory: Buffer | undefined;
  private idleUntil = Number.POSITIVE_INFINITY;

  constructor(
    readonly name: string,
    memoryMb: number,
    keepAliveMs: number,
  ) {
    this.keepAliveMs = keepAliveMs;
    const bytes = Math.round(memoryMb * MIB);
    this.memory = bytes > 0 ? Buffer.alloc(bytes, 1) : Buffer.alloc(0);
  }

  get memoryBytes(): number {
    return this.memory?.length ?? 0;
  }

  /** Idle from `nowMs`: warm until `nowMs + keepAliveMs` unless taken again first. */
  idleFrom(nowMs: number): void {
    this.busy = false;
    this.idleUntil = nowMs + this.keepAliveMs;
  }

  /** Idle and past its keep-alive at `nowMs`: no invocation may take it any more. */
  expiredAt(nowMs: number): boolean {
    return !this.busy && nowMs >= this.idleUntil;
  }

  take(): void {
    this.busy = true;
    this.idleUntil = Number.POSITIVE_INFINITY;
  }

  drop(): void {
    this.memory = undefined;
  }
}

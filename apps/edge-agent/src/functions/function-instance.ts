const MIB = 1024 * 1024;

/**
 * One instance of a function workload. Its memory is really allocated and written (so the pages
 * are resident, not just reserved), and held until the instance is dropped.
 */
export class FunctionInstance {
  busy = false;
  private memory: Buffer | undefined;
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    memoryMb: number,
  ) {
    const bytes = Math.round(memoryMb * MIB);
    this.memory = bytes > 0 ? Buffer.alloc(bytes, 1) : Buffer.alloc(0);
  }

  get memoryBytes(): number {
    return this.memory?.length ?? 0;
  }

  /** Idle from now: dropped by `onExpire` after `keepAliveMs` unless used again first. */
  idleFor(keepAliveMs: number, onExpire: () => void): void {
    clearTimeout(this.expiry);
    this.expiry = setTimeout(onExpire, keepAliveMs);
    this.expiry.unref();
  }

  take(): void {
    clearTimeout(this.expiry);
    this.busy = true;
  }

  drop(): void {
    clearTimeout(this.expiry);
    this.memory = undefined;
  }
}

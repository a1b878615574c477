import type { DynamicModule } from '@nestjs/common';
import { Global, Inject, Injectable, Logger, Module, Optional } from '@nestjs/common';
import type { HybridLogicalClock } from '@kailash/hlc';
import { HLC_CLOCK } from '../config/tokens';

/** Where a clock reads the time and runs its periodic work; a test provides one it moves by hand. */
export interface TimeSource {
  /** Epoch milliseconds; never less than an earlier reading. */
  nowMs(): number;
  /** Runs `task` every `intervalMs` of this source's time until the returned function is called. */
  every(intervalMs: number, task: () => Promise<void>): () => void;
}

const TIME_SOURCE = Symbol('TIME_SOURCE');

@Global()
@Module({})
class TimeSourceModule {}

/**
 * A service's one time source for deadlines (lease expiry, lock timeouts) and for the periodic
 * work that acts on them (sweeps): its HLC wall time, the same clock that stamps its events. It
 * never goes back within an instance; across instances deadlines are compared on each instance's
 * own clock, so clocks are assumed NTP-synchronised well within the shortest timeout (the HLC
 * refuses stamps more than its max offset ahead).
 */
@Injectable()
export class ServiceClock {
  private readonly logger = new Logger('ServiceClock');

  constructor(
    @Inject(HLC_CLOCK) private readonly hlc: HybridLogicalClock,
    @Optional() @Inject(TIME_SOURCE) private readonly source?: TimeSource,
  ) {}

  /**
   * A module that makes every ServiceClock of the app read `source` instead of the HLC: import it
   * beside the app module, and time (and every periodic task) moves only when `source` says so.
   */
  static drivenBy(source: TimeSource): DynamicModule {
    return {
      module: TimeSourceModule,
      providers: [{ provide: TIME_SOURCE, useValue: source }],
      exports: [TIME_SOURCE],
    };
  }

  nowMs(): number {
    return this.source ? this.source.nowMs() : this.hlc.now().wallMs;
  }

  nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }

  /** Runs `task` every `intervalMs` until the returned function is called; a failure is logged. */
  every(intervalMs: number, task: () => Promise<void>): () => void {
    const guarded = () =>
      task().catch((error: unknown) =>
        this.logger.warn({ msg: 'periodic task failed', error: String(error) }),
      );
    if (this.source) return this.source.every(intervalMs, guarded);
    const timer = setInterval(() => void guarded(), intervalMs);
    return () => clearInterval(timer);
  }
}

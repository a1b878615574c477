import { Inject, Injectable } from '@nestjs/common';
import type { HybridLogicalClock } from '@kailash/hlc';
import { HLC_CLOCK } from '../config/tokens';

/**
 * A service's one time source for deadlines (lease expiry, lock timeouts): its HLC wall time, the
 * same clock that stamps its events. It never goes back within an instance; across instances
 * deadlines are compared on each instance's own clock, so clocks are assumed NTP-synchronised well
 * within the shortest timeout (the HLC refuses stamps more than its max offset ahead).
 */
@Injectable()
export class ServiceClock {
  constructor(@Inject(HLC_CLOCK) private readonly hlc: HybridLogicalClock) {}

  nowMs(): number {
    return this.hlc.now().wallMs;
  }

  nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }
}

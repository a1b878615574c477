import { Inject, Injectable } from '@nestjs/common';
import type { HybridLogicalClock } from '@kailash/hlc';
import { HLC_CLOCK } from '@kailash/service-kit';

/**
 * The one time source of the leases slice: the service's HLC wall time, the same clock that stamps
 * its events. It never goes back within an instance; across instances deadlines are compared on
 * each instance's own clock, so the clocks are assumed NTP-synchronised well within the shortest
 * TTL (the HLC refuses stamps more than 500 ms ahead). A lease may thus end up to that skew plus
 * one sweep interval plus the projection lag away from its nominal deadline.
 */
@Injectable()
export class LeaseClock {
  constructor(@Inject(HLC_CLOCK) private readonly hlc: HybridLogicalClock) {}

  nowMs(): number {
    return this.hlc.now().wallMs;
  }
}

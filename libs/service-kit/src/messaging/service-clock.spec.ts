import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HybridLogicalClock } from '@kailash/hlc';
import { TestClock } from '@kailash/testing';
import { HLC_CLOCK } from '../config/tokens';
import { ServiceClock } from './service-clock';

/** Stands in for the messaging module: provides the HLC (on a fixed physical time) and the clock. */
@Module({
  providers: [
    {
      provide: HLC_CLOCK,
      useFactory: () => new HybridLogicalClock({ nodeId: 'n', physicalClock: () => 1_234_567 }),
    },
    ServiceClock,
  ],
  exports: [ServiceClock],
})
class ClockModule {}

async function serviceClock(...imports: unknown[]): Promise<ServiceClock> {
  const moduleRef = await Test.createTestingModule({ imports: [ClockModule, ...(imports as [])] }).compile();
  return moduleRef.get(ServiceClock);
}

describe('ServiceClock', () => {
  it('reads the HLC wall time when nothing drives it', async () => {
    const clock = await serviceClock();
    expect(clock.nowMs()).toBe(1_234_567);
    expect(clock.nowIso()).toBe(new Date(1_234_567).toISOString());
  });

  it('reads a driving source instead, and runs its periodic tasks on that source’s time only', async () => {
    const source = new TestClock(10_000);
    const clock = await serviceClock(ServiceClock.drivenBy(source));
    expect(clock.nowMs()).toBe(10_000);
    const runs: number[] = [];
    const stop = clock.every(1_000, async () => {
      runs.push(clock.nowMs());
    });
    await source.advance(999);
    expect(runs).toEqual([]);
    await source.advance(1);
    expect(runs).toEqual([11_000]);
    await source.advance(3_500); // three intervals missed: one run, as a busy timer would
    expect(runs).toEqual([11_000, 14_500]);
    await source.advance(500); // the next interval boundary is 15 000
    expect(runs).toEqual([11_000, 14_500, 15_000]);
    stop();
    expect(source.scheduled).toBe(0);
    await source.advance(10_000);
    expect(runs).toHaveLength(3);
  });

  it('does not fail whoever moves the time when a periodic task fails (the clock logs it)', async () => {
    const source = new TestClock(0);
    const clock = await serviceClock(ServiceClock.drivenBy(source));
    clock.every(10, () => Promise.reject(new Error('boom')));
    await expect(source.advance(10)).resolves.toBeUndefined();
  });

  it('refuses to move a test clock backwards or by a fraction', async () => {
    const source = new TestClock(0);
    await expect(source.advance(-1)).rejects.toThrow(/only moves forward/);
    await expect(source.advance(0.5)).rejects.toThrow(RangeError);
  });
});

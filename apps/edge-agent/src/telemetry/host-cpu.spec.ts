import type { CpuInfo } from 'node:os';
import { HostCpuMeter } from './host-cpu';

type Times = CpuInfo['times'];
const core = (busy: number, idle: number): Pick<CpuInfo, 'times'> => ({
  times: { user: busy, nice: 0, sys: 0, irq: 0, idle } satisfies Times,
});

/** A reader that returns the scripted readings in turn (the first one is the meter's baseline). */
function scripted(...readings: Pick<CpuInfo, 'times'>[][]) {
  let next = 0;
  return () => {
    const reading = readings[Math.min(next, readings.length - 1)] ?? [];
    next++;
    return reading;
  };
}

describe('HostCpuMeter', () => {
  it('gives the busy share of all cores between readings, the first one against the baseline', () => {
    const meter = new HostCpuMeter(
      scripted(
        [core(1000, 9000), core(500, 9500)],
        // core 0: 600 busy of 1000; core 1: 200 busy of 1000 → 800 of 2000
        [core(1600, 9400), core(700, 10300)],
        // both cores fully busy for 500 ms
        [core(2100, 9400), core(1200, 10300)],
      ),
    );
    expect(meter.sample()).toBe(40);
    expect(meter.sample()).toBe(100);
  });

  it('counts user, nice, sys and irq time as busy', () => {
    const times = (t: Partial<Times>): Pick<CpuInfo, 'times'> => ({
      times: { user: 0, nice: 0, sys: 0, irq: 0, idle: 0, ...t },
    });
    const meter = new HostCpuMeter(
      scripted([times({})], [times({ user: 10, nice: 20, sys: 30, irq: 40, idle: 100 })]),
    );
    expect(meter.sample()).toBe(50);
  });

  it('leaves the figure out when no tick elapsed since the last reading (0/0), then measures again', () => {
    const meter = new HostCpuMeter(scripted([core(100, 100)], [core(100, 100)], [core(150, 150)]));
    expect(meter.sample()).toBeUndefined();
    expect(meter.sample()).toBe(50);
  });

  it('leaves the figure out when the cores changed or a counter went backwards, and resumes from that reading', () => {
    const meter = new HostCpuMeter(
      scripted(
        [core(100, 100)],
        [core(200, 200), core(0, 0)],
        [core(300, 100), core(10, 10)],
        [core(400, 200), core(60, 10)],
      ),
    );
    expect(meter.sample()).toBeUndefined(); // a second core came on line
    expect(meter.sample()).toBeUndefined(); // core 0's idle time went backwards
    expect(meter.sample()).toBe(60); // (100 + 50) busy of (200 + 50), from the refused reading
  });

  it('leaves the figure out on a platform that lists no cores', () => {
    expect(new HostCpuMeter(() => []).sample()).toBeUndefined();
  });

  it('reads the real cores by default and gives a share within 0–100 when a tick elapsed', async () => {
    const meter = new HostCpuMeter();
    // Idle time counts too, so 200 ms of waiting spans many clock ticks on every core.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const busy = meter.sample();
    expect(busy).toBeGreaterThanOrEqual(0);
    expect(busy).toBeLessThanOrEqual(100);
  });
});

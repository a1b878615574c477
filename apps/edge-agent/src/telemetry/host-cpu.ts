import type { CpuInfo } from 'node:os';
import { cpus } from 'node:os';

/** The cores' cumulative times (ms since boot), as `os.cpus()` gives them; tests pass their own. */
export type CpuTimesReader = () => readonly Pick<CpuInfo, 'times'>[];

interface CoreTimes {
  readonly busy: number;
  readonly total: number;
}

/**
 * The host's CPU busy share (0–100 % of all cores) between two readings of the cores' times.
 * The first reading is taken when the meter is made, so the first sample covers the time since
 * then, as the process CPU figure does. When no figure can be honest it is left out rather than
 * guessed: no clock tick elapsed, a counter went backwards, or the set of cores changed (a core
 * brought on or off line). The next sample is then measured from this reading.
 */
export class HostCpuMeter {
  private last: readonly CoreTimes[];

  constructor(private readonly read: CpuTimesReader = cpus) {
    this.last = timesOf(read());
  }

  /** Busy % of all cores since the previous sample, or undefined when it cannot be measured. */
  sample(): number | undefined {
    const now = timesOf(this.read());
    const before = this.last;
    this.last = now;
    return busyPercent(before, now);
  }
}

function timesOf(cores: readonly Pick<CpuInfo, 'times'>[]): CoreTimes[] {
  return cores.map(({ times }) => {
    const busy = times.user + times.nice + times.sys + times.irq;
    return { busy, total: busy + times.idle };
  });
}

function busyPercent(before: readonly CoreTimes[], now: readonly CoreTimes[]): number | undefined {
  if (now.length === 0 || now.length !== before.length) return undefined;
  let busy = 0;
  let total = 0;
  for (const [index, core] of now.entries()) {
    const previous = before[index];
    if (!previous) return undefined;
    const coreBusy = core.busy - previous.busy;
    const coreTotal = core.total - previous.total;
    if (coreBusy < 0 || coreTotal < coreBusy) return undefined;
    busy += coreBusy;
    total += coreTotal;
  }
  return total > 0 ? (100 * busy) / total : undefined;
}

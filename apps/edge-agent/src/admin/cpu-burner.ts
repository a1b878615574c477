import type { CpuLoadView } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';

/** The longest stretch the loop keeps the event loop busy: requests wait at most this long. */
export const SLICE_MS = 20;

interface Running {
  readonly cpuPercent: number;
  readonly durationMs: number;
  readonly startedAt: number;
  readonly startedMono: number;
  readonly actor: string;
  burnedMs: number;
  timer?: NodeJS.Timeout | NodeJS.Immediate;
}

const IDLE: CpuLoadView = {
  running: false,
  cpuPercent: null,
  durationMs: null,
  startedAt: null,
  endsAt: null,
  burnedMs: 0,
  actor: null,
};

/**
 * Burns CPU in this process for demos: a busy loop in slices of at most SLICE_MS, each sized so
 * the time spent busy keeps up with `cpuPercent` of the time elapsed (a late timer is made up in
 * the next slice), with a yield to the event loop between slices, so the agent keeps serving. One
 * load at a time; cancel ends it at the next slice.
 */
export class CpuBurner {
  private running: Running | undefined;
  private last: CpuLoadView = IDLE;
  /** Where the loop's arithmetic goes, so no compiler can prove it useless. */
  private sink = 0;

  start(cpuPercent: number, durationMs: number, actor: string): CpuLoadView {
    if (this.running)
      throw new KailashError('CONFLICT', 'a CPU load is running; cancel it first', {
        reason: 'load-running',
        endsAt: this.view().endsAt,
      });
    const run: Running = {
      cpuPercent,
      durationMs,
      actor,
      startedAt: Date.now(),
      startedMono: performance.now(),
      burnedMs: 0,
    };
    this.running = run;
    this.schedule(run, 0);
    return this.view();
  }

  cancel(): CpuLoadView {
    const run = this.running;
    if (run) this.finish(run);
    return this.view();
  }

  view(): CpuLoadView {
    const run = this.running;
    if (!run) return this.last;
    return {
      running: true,
      cpuPercent: run.cpuPercent,
      durationMs: run.durationMs,
      startedAt: new Date(run.startedAt).toISOString(),
      endsAt: new Date(run.startedAt + run.durationMs).toISOString(),
      burnedMs: Math.round(run.burnedMs),
      actor: run.actor,
    };
  }

  private schedule(run: Running, restMs: number): void {
    run.timer = restMs > 0 ? setTimeout(() => this.slice(run), restMs) : setImmediate(() => this.slice(run));
  }

  private slice(run: Running): void {
    if (this.running !== run) return;
    const now = performance.now();
    const elapsed = now - run.startedMono;
    if (elapsed >= run.durationMs) return this.finish(run);
    // Busy long enough that busy time reaches the target share by the end of this slice.
    const owed = (run.cpuPercent / 100) * (elapsed + SLICE_MS) - run.burnedMs;
    const busy = Math.max(0, Math.min(SLICE_MS, owed, run.durationMs - elapsed));
    const until = now + busy;
    while (performance.now() < until) this.sink = Math.sqrt(this.sink + 1);
    run.burnedMs += performance.now() - now;
    this.schedule(run, SLICE_MS - busy);
  }

  private finish(run: Running): void {
    clearTimeout(run.timer as NodeJS.Timeout);
    clearImmediate(run.timer as NodeJS.Immediate);
    this.last = { ...this.view(), running: false };
    this.running = undefined;
  }
}

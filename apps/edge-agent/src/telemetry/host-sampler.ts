import { readdirSync, statfsSync, statSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { IntervalHistogram } from 'node:perf_hooks';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MetricsBatch } from '@kailash/contracts';
import { HostCpuMeter } from './host-cpu';

/**
 * Real process and host figures over a window: CPU time, memory, event-loop lag, disk. The host's
 * CPU busy share comes from `hostCpu`; the load average is reported as it is (it counts runnable
 * tasks, so it is not a share of anything).
 */
export class HostSampler {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private cpu = process.cpuUsage();
  private at = performance.now();

  constructor(
    private readonly dataDir: string,
    private readonly hostCpu: Pick<HostCpuMeter, 'sample'> = new HostCpuMeter(),
  ) {
    this.loop.enable();
  }

  sample(): Pick<MetricsBatch, 'process' | 'host'> {
    const cpu = process.cpuUsage(this.cpu);
    const now = performance.now();
    const elapsedUs = Math.max(1, (now - this.at) * 1000);
    this.cpu = process.cpuUsage();
    this.at = now;
    const memory = process.memoryUsage();
    const lag = {
      mean: nsToMs(this.loop.mean),
      p99: nsToMs(this.loop.percentile(99)),
      max: nsToMs(this.loop.max),
    };
    this.loop.reset();
    const cpuBusyPercent = this.hostCpu.sample();
    return {
      process: {
        cpuPercent: ((cpu.user + cpu.system) / elapsedUs) * 100,
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        eventLoopLagMs: lag,
      },
      host: {
        cpuCount: cpus().length,
        ...(cpuBusyPercent === undefined ? {} : { cpuBusyPercent }),
        loadAverage1m: loadavg()[0] ?? 0,
        memoryTotalBytes: totalmem(),
        memoryFreeBytes: freemem(),
        diskUsedBytes: directoryBytes(this.dataDir),
        diskFreeBytes: freeBytes(this.dataDir),
      },
    };
  }

  stop(): void {
    this.loop.disable();
  }
}

// Before the first sample the histogram is empty and reports NaN.
const nsToMs = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);

function directoryBytes(dir: string): number {
  try {
    return readdirSync(dir).reduce((sum, name) => {
      const stats = statSync(join(dir, name));
      return sum + (stats.isFile() ? stats.size : 0);
    }, 0);
  } catch {
    return 0;
  }
}

function freeBytes(dir: string): number {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return 0;
  }
}

import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { PlacementRequest, PlacementResult } from '@kailash/contracts';
import type { Fleet } from '../../../apps/state-svc/src/placement/engine/fleet';
import { percentile } from '../report';

export type Engine = (fleet: Fleet, request: PlacementRequest) => PlacementResult;

export interface Timing {
  readonly ms: number[];
  /** CPU time of the process per request: wall time minus waits for the shared cores (GC threads included). */
  readonly cpuMs: number[];
  readonly examined: number[];
  /** CPU time over wall time across the requests: below 100 % the shared machine kept the process waiting. */
  readonly cpuShare: number;
  /** Wall time of the requests during which the heap was collected (used heap shrank), and of the rest. */
  readonly collectedMs: number[];
  readonly uncollectedMs: number[];
}

export const WARM_UP = 100;

/** Wall time and edges examined per request, after a warm-up on the first requests. */
export function time(engine: Engine, fleet: Fleet, requests: readonly PlacementRequest[]): Timing {
  for (const request of requests.slice(0, Math.min(WARM_UP, requests.length))) engine(fleet, request);
  const ms: number[] = [];
  const cpuMs: number[] = [];
  const examined: number[] = [];
  const cpuAtStart = process.cpuUsage();
  const wallAtStart = performance.now();
  const collectedMs: number[] = [];
  const uncollectedMs: number[] = [];
  for (const request of requests) {
    const heap = getHeapStatistics().used_heap_size;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const result = engine(fleet, request);
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    ms.push(wall);
    (getHeapStatistics().used_heap_size < heap ? collectedMs : uncollectedMs).push(wall);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1e3);
    examined.push(result.examined);
  }
  const used = process.cpuUsage(cpuAtStart);
  const cpuShare = (used.user + used.system) / 1e3 / (performance.now() - wallAtStart);
  return { ms, cpuMs, examined, cpuShare, collectedMs, uncollectedMs };
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Heap plus typed-array memory after a full collection: what live objects hold. */
export function liveBytes(): number {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

export const fmt = (ms: number) => (ms < 0.1 ? ms.toFixed(3) : ms.toFixed(2));
export const mean = (values: readonly number[]) =>
  values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
export const int = (value: number) => Math.round(value).toLocaleString('en-US');
export const p = percentile;
/** Bytes in binary mebibytes (2^20), as memory tools print them. */
export const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
/** Bytes in decimal gigabytes (10^9), the unit of the "under 1 GB" target. */
export const gb = (bytes: number) => (bytes / 1e9).toFixed(3);

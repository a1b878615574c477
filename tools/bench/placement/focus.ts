/**
 * A focused run for iterating on the engine: per strategy, the benchmark's first requests forced to it
 * on one fleet (engine only, no churn, no report written), with CPU and wall p50 / p99, edges examined
 * and node bounds computed, and optionally a comparison with the full scan. Run through
 * tools/bench/run.sh; `FOCUS_EDGES`, `FOCUS_REQUESTS`, `FOCUS_STRATEGIES` (comma-separated) and
 * `FOCUS_CHECK` (requests per strategy compared with the full scan) and `FOCUS_LEVEL_BUDGET` (the
 * search's knob) choose what it does. `FOCUS_COLD=1`
 * evicts the caches before every request (a pass over 64 MiB), as other requests and other processes
 * do between two placements in the service: the shared machine's CPU p99 is mostly memory reads.
 */
import type { PlacementRequest, PlacementStrategy } from '@kailash/contracts';
import { PLACEMENT_STRATEGIES } from '@kailash/contracts';
import { loadavg } from 'node:os';
import { buildFleet } from '../../../apps/state-svc/src/placement/engine/fleet';
import type { SearchCounters } from '../../../apps/state-svc/src/placement/engine/place';
import { place, placeByFullScan } from '../../../apps/state-svc/src/placement/engine/place';
import {
  parseRequest,
  syntheticFleet,
  syntheticRequests,
} from '../../../apps/state-svc/test/placement/synthetic-fleet';
import { fmt, gb, int, liveBytes, mean, mib, p, WARM_UP } from './measure';

const size = Number(process.env['FOCUS_EDGES'] ?? 100_000);
const count = Number(process.env['FOCUS_REQUESTS'] ?? 400);
const check = Number(process.env['FOCUS_CHECK'] ?? 0);
const levelBudget = process.env['FOCUS_LEVEL_BUDGET'] ? Number(process.env['FOCUS_LEVEL_BUDGET']) : undefined;
const strategies = (process.env['FOCUS_STRATEGIES']?.split(',') ??
  PLACEMENT_STRATEGIES) as PlacementStrategy[];

const cold = process.env['FOCUS_COLD'] === '1';
const evictor = new Float64Array(cold ? 8 << 20 : 0);
/** Reads and writes one word per cache line of a buffer larger than the caches. */
function evictCaches(): number {
  let sum = 0;
  for (let i = 0; i < evictor.length; i += 8) sum += evictor[i] = (evictor[i] as number) + 1;
  return sum;
}

const answer = (result: ReturnType<typeof place>) =>
  result.candidates.map((c) => `${c.edgeId}:${c.score}`).join(',');

function main(): void {
  const before = liveBytes();
  const fleet = buildFleet(syntheticFleet(size, 1));
  const viewBytes = liveBytes() - before;
  console.log(
    `${int(size)} edges, view ${mib(viewBytes)} MiB = ${gb(viewBytes)} GB, load ${loadavg()[0]?.toFixed(2)}`,
  );
  const requests = syntheticRequests(2_000, 2).map(parseRequest);
  let totalCpu = 0;
  for (const strategy of strategies) {
    const forced: PlacementRequest[] = requests.slice(0, count).map((request) => ({ ...request, strategy }));
    for (const request of forced.slice(0, WARM_UP)) place(fleet, request);
    const cpu: number[] = [];
    const wall: number[] = [];
    const examined: number[] = [];
    const bounds: number[] = [];
    for (const request of forced) {
      const counters: SearchCounters = { nodeBounds: 0 };
      if (cold) evictCaches();
      const startCpu = process.cpuUsage();
      const start = performance.now();
      const result = place(fleet, request, { counters, levelBudget });
      wall.push(performance.now() - start);
      const used = process.cpuUsage(startCpu);
      cpu.push((used.user + used.system) / 1e3);
      examined.push(result.examined);
      bounds.push(counters.nodeBounds);
    }
    totalCpu += cpu.reduce((a, b) => a + b, 0);
    const same = forced
      .slice(0, check)
      .every((r) => answer(place(fleet, r)) === answer(placeByFullScan(fleet, r)));
    console.log(
      `${strategy.padEnd(20)} cpu p50 ${fmt(p(cpu, 50))} p99 ${fmt(p(cpu, 99))} | wall p99 ${fmt(p(wall, 99))} | examined ${int(mean(examined))} / ${int(p(examined, 99))} | bounds ${int(mean(bounds))} / ${int(p(bounds, 99))}${check > 0 ? ` | same ${same}` : ''}`,
    );
  }
  console.log(`total cpu ${totalCpu.toFixed(0)} ms, load ${loadavg()[0]?.toFixed(2)}`);
}

main();

/**
 * Placement latency: the engine (branch and bound over the kd-tree's node summaries) against a
 * brute-force scan of every edge, on seeded synthetic fleets of 1,000 / 10,000 / 100,000 edges and a
 * seeded mix of requests (every strategy, compliance needs, resources, budgets, cost caps). Both answer
 * the same requests in the same run, and their answers are compared. Target: p99 ≤ 2 ms at 100,000.
 */
import type { PlacementRequest, PlacementStrategy } from '@kailash/contracts';
import { PLACEMENT_STRATEGIES } from '@kailash/contracts';
import type { Fleet } from '../../../apps/state-svc/src/placement/engine/fleet';
import { buildFleet } from '../../../apps/state-svc/src/placement/engine/fleet';
import { place, placeByFullScan } from '../../../apps/state-svc/src/placement/engine/place';
import {
  parseRequest,
  syntheticFleet,
  syntheticRequests,
} from '../../../apps/state-svc/test/placement/synthetic-fleet';
import { machineLine, percentile, writeBenchSection } from '../report';

const COMMAND = 'npm run bench:placement';
/** Residency zones follow location in real fleets; the last run draws every zone at random, the index's worst case. */
const RUNS: readonly { size: number; zones: 'geographic' | 'random' }[] = [
  { size: 1_000, zones: 'geographic' },
  { size: 10_000, zones: 'geographic' },
  { size: 100_000, zones: 'geographic' },
  { size: 100_000, zones: 'random' },
];
const REQUESTS = 2_000;
/** The scan at 100,000 edges takes tens of ms per request; fewer requests keep the run short. */
const SCAN_REQUESTS = 200;
const WARM_UP = 100;

type Engine = (fleet: Fleet, request: PlacementRequest) => ReturnType<typeof place>;

interface Verdict {
  p50: number;
  p99: number;
  examinedP99: number;
}

/** The target line, with the gap and its cause when the target is missed. */
function targetParagraph({ p50, p99, examinedP99 }: Verdict): string {
  if (p99 <= 2) return `**Target met:** p99 ${fmt(p99)} ms ≤ 2 ms at 100,000 edges (p50 ${fmt(p50)} ms).`;
  return `**Target missed:** p99 ${fmt(p99)} ms at 100,000 edges against 2 ms (${(p99 / 2).toFixed(0)}× over); p50 is ${fmt(p50)} ms.
Cause: the slowest requests examine up to ${examinedP99.toLocaleString('en-US')} edges. Branch and bound skips a subtree only
when its ceiling falls below the k-th best total. For latency-led strategies the geographic term does that
within a few hundred edges (see latency_optimal and performance_optimal below). When the weight sits on
factors that vary edge by edge within a neighbourhood (data sets held, certification zones, cost caps,
headroom), ceilings stay near 100 until deep in the tree. Each examined edge then costs 1–2 µs of filters
and scores over JavaScript objects, and the shared 2-core machine adds its own tail. What would close the
gap: sub-indices per certification zone (compliance pruned at the root), a struct-of-arrays fleet (typed
arrays) to cut the per-edge cost, or bounded candidate sets as Nomad (log2 N) and Kubernetes
(percentageOfNodesToScore) use. The last gives up the exact answer this engine guarantees.`;
}

interface Timing {
  readonly ms: number[];
  readonly examined: number[];
}

function time(engine: Engine, fleet: Fleet, requests: readonly PlacementRequest[]): Timing {
  for (const request of requests.slice(0, WARM_UP)) engine(fleet, request);
  const ms: number[] = [];
  const examined: number[] = [];
  for (const request of requests) {
    const start = process.hrtime.bigint();
    const result = engine(fleet, request);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    examined.push(result.examined);
  }
  return { ms, examined };
}

function sameAnswers(fleet: Fleet, requests: readonly PlacementRequest[]): boolean {
  const ids = (engine: Engine, request: PlacementRequest) =>
    engine(fleet, request)
      .candidates.map((c) => c.edgeId)
      .join(',');
  return requests.every((request) => ids(place, request) === ids(placeByFullScan, request));
}

const fmt = (ms: number) => (ms < 0.1 ? ms.toFixed(3) : ms.toFixed(2));
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

function bySizeRow(
  { size, zones }: (typeof RUNS)[number],
  buildMs: number,
  indexed: Timing,
  scan: Timing,
  same: boolean,
): string {
  return `| ${size.toLocaleString('en-US')} | ${zones} | ${buildMs.toFixed(0)} | ${fmt(percentile(indexed.ms, 50))} | ${fmt(percentile(indexed.ms, 99))} | ${Math.round(mean(indexed.examined)).toLocaleString('en-US')} / ${percentile(indexed.examined, 99).toLocaleString('en-US')} | ${fmt(percentile(scan.ms, 50))} | ${fmt(percentile(scan.ms, 99))} | ${(percentile(scan.ms, 50) / percentile(indexed.ms, 50)).toFixed(0)}× | ${same ? 'yes' : '**no**'} |`;
}

function byStrategyRows(fleet: Fleet, requests: readonly PlacementRequest[]): string[] {
  return PLACEMENT_STRATEGIES.map((strategy: PlacementStrategy) => {
    const timing = time(
      place,
      fleet,
      requests.map((request) => ({ ...request, strategy })),
    );
    return `| ${strategy} | ${fmt(percentile(timing.ms, 50))} | ${fmt(percentile(timing.ms, 99))} | ${Math.round(mean(timing.examined)).toLocaleString('en-US')} / ${percentile(timing.examined, 99).toLocaleString('en-US')} |`;
  });
}

function main(): void {
  const requests = syntheticRequests(REQUESTS, 2).map(parseRequest);
  const sizeRows: string[] = [];
  let largest: Fleet | undefined;
  let verdict: Verdict = { p50: NaN, p99: NaN, examinedP99: NaN };
  for (const run of RUNS) {
    const edges = syntheticFleet(run.size, 1, run.zones);
    const buildStart = process.hrtime.bigint();
    const fleet = buildFleet(edges);
    const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
    const indexed = time(place, fleet, requests);
    const scanSample = requests.slice(0, SCAN_REQUESTS);
    const scan = time(placeByFullScan, fleet, scanSample);
    sizeRows.push(bySizeRow(run, buildMs, indexed, scan, sameAnswers(fleet, scanSample)));
    console.log(sizeRows[sizeRows.length - 1]);
    if (run.zones === 'geographic') {
      largest = fleet;
      verdict = {
        p50: percentile(indexed.ms, 50),
        p99: percentile(indexed.ms, 99),
        examinedP99: percentile(indexed.examined, 99),
      };
    }
  }
  const strategyRows = largest ? byStrategyRows(largest, requests.slice(0, 300)) : [];
  strategyRows.forEach((row) => console.log(row));

  writeBenchSection(
    'placement',
    `## Placement (state-svc)

${machineLine(COMMAND)}

Seeded synthetic fleets, uniform over the sphere (70 % active, 10 % draining, the rest warming/terminated;
residency zones by location — gdpr in Europe, ccpa in California, pipeda in Canada, lgpd in Brazil — and
certifications, capacity, allocation, data sets and prices at random; the "random" row draws every zone at random) and ${REQUESTS.toLocaleString('en-US')} seeded requests mixing all eight strategies,
compliance needs, resource needs, latency budgets (80 %) and cost caps (20 %). "Engine" is \`place()\`:
branch and bound over a kd-tree of the active edges whose nodes summarise the edges below them (zones,
cheapest rate, most free capacity, data sets, best cost score); it stops once nothing unexamined can
outrank the k-th result, so its answer is exact.
"Scan" is \`placeByFullScan()\`: haversine, filters and scores for every edge (baseline, same run,
first ${SCAN_REQUESTS} requests). "Same answers" compares the ranked edge ids of both on those requests.
Wall time per request in one process, after ${WARM_UP} warm-up requests; in-memory only (the service
adds HTTP/NATS and JSON on top). The 2 cores are shared with other work, which inflates tails.

| edges | zones | index build ms | engine p50 ms | engine p99 ms | edges examined mean / p99 | scan p50 ms | scan p99 ms | speed-up p50 | same answers |
|---|---|---|---|---|---|---|---|---|---|
${sizeRows.join('\n')}

${targetParagraph(verdict)}

Per strategy at 100,000 edges with geographic zones (the same 300 requests forced to each strategy):

| strategy | p50 ms | p99 ms | edges examined mean / p99 |
|---|---|---|---|
${strategyRows.join('\n')}
`,
  );
}

main();

/**
 * Placement at fleet scale: the engine (branch and bound over the kd-tree's node summaries, on a
 * struct-of-arrays fleet) against a brute-force scan of every edge, on seeded synthetic fleets of
 * 1,000 to 1,000,000 edges and a seeded mix of requests; both answer the same requests in the same run
 * and their answers are compared. Then churn: edge changes applied in place while placements are served.
 * `PLACEMENT_BENCH_SIZES=1000,10000` runs fewer sizes while developing.
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
import { machineLine, writeBenchSection } from '../report';
import { CHURN, churnTable, runChurn } from './churn';
import type { Engine, Timing } from './measure';
import { fmt, int, liveBytes, mean, mib, p, time, WARM_UP } from './measure';
import { verdict } from './verdict';

const COMMAND = 'npm run bench:placement';
interface Run {
  readonly size: number;
  readonly zones: 'geographic' | 'random';
  readonly requests: number;
  readonly scanRequests: number;
  readonly perStrategy: number;
}
/** Residency zones follow location in real fleets; the "random" run draws every zone at random, the index's worst case. */
const RUNS: readonly Run[] = [
  { size: 1_000, zones: 'geographic', requests: 2_000, scanRequests: 200, perStrategy: 400 },
  { size: 10_000, zones: 'geographic', requests: 2_000, scanRequests: 200, perStrategy: 400 },
  { size: 100_000, zones: 'geographic', requests: 2_000, scanRequests: 100, perStrategy: 400 },
  { size: 100_000, zones: 'random', requests: 2_000, scanRequests: 50, perStrategy: 0 },
  { size: 1_000_000, zones: 'geographic', requests: 1_000, scanRequests: 10, perStrategy: 200 },
];
const CHURN_SECONDS = Number(process.env['PLACEMENT_CHURN_SECONDS'] ?? 10);

export interface SizeResult {
  readonly run: Run;
  readonly buildMs: number;
  /** Live bytes the view holds (heap plus typed arrays after a full GC). */
  readonly viewBytes: number;
  readonly engine: Timing;
  readonly scan: Timing;
  readonly same: boolean;
  readonly strategies: ReadonlyMap<PlacementStrategy, Timing>;
}

function sameAnswers(fleet: Fleet, requests: readonly PlacementRequest[]): boolean {
  const ids = (engine: Engine, request: PlacementRequest) =>
    engine(fleet, request)
      .candidates.map((c) => `${c.edgeId}:${c.score}`)
      .join(',');
  return requests.every((request) => ids(place, request) === ids(placeByFullScan, request));
}

function measureSize(run: Run, requests: readonly PlacementRequest[]): SizeResult {
  const before = liveBytes();
  let edges: ReturnType<typeof syntheticFleet> | undefined = syntheticFleet(run.size, 1, run.zones);
  const buildStart = process.hrtime.bigint();
  const fleet = buildFleet(edges);
  const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
  edges = undefined;
  const viewBytes = liveBytes() - before;
  const engine = time(place, fleet, requests.slice(0, run.requests));
  const scanSample = requests.slice(0, run.scanRequests);
  const scan = time(placeByFullScan, fleet, scanSample);
  const strategies = new Map<PlacementStrategy, Timing>();
  for (const strategy of run.perStrategy > 0 ? PLACEMENT_STRATEGIES : []) {
    const forced = requests.slice(0, run.perStrategy).map((request) => ({ ...request, strategy }));
    strategies.set(strategy, time(place, fleet, forced));
  }
  return { run, buildMs, viewBytes, engine, scan, same: sameAnswers(fleet, scanSample), strategies };
}

function sizeRow({ run, buildMs, viewBytes, engine, scan, same }: SizeResult): string {
  return `| ${int(run.size)} | ${run.zones} | ${buildMs.toFixed(0)} | ${mib(viewBytes)} | ${fmt(p(engine.ms, 50))} | ${fmt(p(engine.ms, 99))} | ${fmt(p(engine.cpuMs, 99))} | ${int(mean(engine.examined))} / ${int(p(engine.examined, 99))} | ${fmt(p(scan.ms, 50))} (${run.scanRequests}) | ${(p(scan.ms, 50) / p(engine.ms, 50)).toFixed(0)}× | ${same ? 'yes' : '**no**'} | ${(100 * engine.cpuShare).toFixed(0)} % | ${int(engine.collectedMs.length)}: p99 ${fmt(p(engine.collectedMs, 99))} / ${fmt(p(engine.uncollectedMs, 99))} |`;
}

function strategyRows(results: readonly SizeResult[]): { header: string; rows: string[] } {
  const withStrategies = results.filter((result) => result.strategies.size > 0);
  const header = `| strategy | ${withStrategies.map((r) => `${int(r.run.size)}: p50 / p99 / CPU p99 ms (examined p99)`).join(' | ')} |\n|---|${withStrategies.map(() => '---').join('|')}|`;
  const rows = PLACEMENT_STRATEGIES.map((strategy) => {
    const cells = withStrategies.map((result) => {
      const timing = result.strategies.get(strategy) as Timing;
      return `${fmt(p(timing.ms, 50))} / ${fmt(p(timing.ms, 99))} / ${fmt(p(timing.cpuMs, 99))} (${int(p(timing.examined, 99))})`;
    });
    return `| ${strategy} | ${cells.join(' | ')} |`;
  });
  return { header, rows };
}

function main(): void {
  const only = process.env['PLACEMENT_BENCH_SIZES']?.split(',').map(Number);
  const machine = machineLine(COMMAND);
  const requests = syntheticRequests(2_000, 2).map(parseRequest);
  const results: SizeResult[] = [];
  for (const run of RUNS.filter((run) => !only || only.includes(run.size))) {
    results.push(measureSize(run, requests));
    console.log(sizeRow(results[results.length - 1] as SizeResult));
  }
  const churnEdges = syntheticFleet(CHURN.edges, 1);
  const churn = runChurn(churnEdges, requests, CHURN_SECONDS);
  console.log(churnTable(churn));
  const strategies = strategyRows(results);
  strategies.rows.forEach((row) => console.log(row));
  writeBenchSection(
    'placement',
    `## Placement (state-svc)

${machine}

Seeded synthetic fleets, uniform over the sphere (70 % active, 10 % draining, the rest warming/terminated;
residency zones by location — gdpr in Europe, ccpa in California, pipeda in Canada, lgpd in Brazil — and
certifications, capacity, allocation, 40 data sets and prices at random; the "random" row draws every zone
at random) and 2,000 seeded requests mixing all eight strategies, compliance needs, resource needs,
latency budgets (80 %) and cost caps (20 %). "Engine" is \`place()\`: branch and bound over one kd-tree of
the fleet whose nodes summarise the placeable edges below them (count, zones, cheapest and dearest rate,
cheapest rate per zone, most free capacity, per data set what the edges holding it hold with it — the
co-held rows that bound data locality at every node — and the cheapest rate among the edges holding it,
overall and among those holding each of hipaa, sox and pci_dss, from which an edge holding h requested
sets (and the required certifications) is bounded by the h-th cheapest of those rates,
per strategy the most one edge below totals on load, capacity and cost together, less what the request's
needs take off it, and for the certification zones hipaa, sox and pci_dss the most free cpu and memory
and those joint sums among the edges holding the zone); examined edges are read from struct-of-arrays
columns, whose slots the bulk load numbers in the tree's leaf order. A request where
data locality weighs at least two thirds of proximity and that names three or more data sets first
examines, from per-key bitsets
(one bit per edge for placeable, each zone, each data set, flipped on every change), the edges that hold
the most of them, level by level while a level is small, and the tree then searches the rest with the
data-locality ceiling one level lower. It stops once nothing unexamined can outrank the k-th result, so
its answer is exact. "Scan" is \`placeByFullScan()\`:
haversine, filters and scores for every edge over the edge objects (same-run baseline; request count in
brackets). "Same answers" compares ranked edge ids and scores of both on the scanned requests. Wall time
per request in one process after ${WARM_UP} warm-up requests ("CPU" columns: the process's CPU time per
request, which leaves out time spent waiting for a core on the shared machine), in memory only (the service adds HTTP/NATS
and JSON). "View MiB" is live heap plus typed arrays the fleet view holds after a full GC, edge objects
included. The run is niced to 19 on 2 cores shared with other engineers' work, so tails include their load;
"CPU share" is the CPU time the process got over the wall time of the timed requests (100 %: a core to
itself), the measure of how much of a wall-clock tail is the machine rather than the engine. The last
column splits the engine's requests by whether the heap was collected while they ran (used heap shrank).

| edges | zones | index build ms | view MiB | engine p50 ms | engine p99 ms | engine CPU p99 ms | edges examined mean / p99 | scan p50 ms (requests) | speed-up p50 | same answers | engine CPU share | requests with a GC: p99 with / without ms |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
${results.map(sizeRow).join('\n')}

Per strategy, geographic zones (the first requests of the mix, each forced to the strategy; examined p99 in brackets):

${strategies.header}
${strategies.rows.join('\n')}

### Churn: ${int(CHURN.changesPerSecond)} edge changes/s while serving ${CHURN.placementsPerSecond} placements/s at ${int(CHURN.edges)} edges

Open loop in one thread for ${CHURN_SECONDS} s, as in the service: changes (50 % load, 20 % active ↔ draining,
15 % price, 15 % a move of up to half a degree) arrive at a steady rate and the view applies what has
arrived every poll of the projection (the store's interval), each change in place; placements arrive
at their own rate and are answered in turn. Lag is what the view adds behind the stream (arrival to
applied); the projection's own lag behind NATS is outside it. The full rebuild column is one
\`buildFleet\` of the same fleet in the same run: what every change cost before the view changed in place.

${churnTable(churn)}

${verdict(results, churn)}

Where the view's bytes go at 1,000,000 edges (\`tools/bench/placement/breakdown.ts\`: typed arrays by
owner, and the heap of the edge objects measured by dropping one part of every edge at a time, live heap
after a full GC). Before sharing repeated values, 1,003 MiB (1.052 GB, over the target): typed arrays
283 MiB — tree points 48 (six float64 per slot), co-held rows 45 (40 data-set bits × two int32 per
node), holders' cheapest rate 22.5, leaf slot lists 18, per-zone joint sums 13.5, cheapest rate per
zone 12.4, joint sums 9, the slot columns ~69 (cost, capacity and allocation of three resources as
float64, zone and data-set words), key bitsets 9.5, the rest of the tree 14 (boxes, links, slot → leaf)
and of the node summaries 21; edge objects 661 MiB — a \`Set\` of data-set names per edge 176, the zone list per edge 165, capacity records 46,
allocation records 42, region strings 26, names 30.5, the objects themselves with their boxed numbers
(lat, lon, rate) 176; the id → slot map with the id strings 58.5. Every projection row brings its own
copy of a region, a zone list and capacity and allocation records that thousands of edges repeat, so
the view now keeps one frozen copy of each (\`engine/shared-values.ts\`: a table per kind that starts
over past 4,096 distinct values, so changing allocations cannot grow it without end) and data-set
names as a short list instead of a \`Set\` (76 MiB instead of 176). After: 625 MiB (0.656 GB); the
columns, the tree and the summaries are unchanged, so every answer and every count of edges examined
is the same. What is left: typed arrays 283, edge objects 282 (of which names 30.5 and data-set
lists 76), the id map 58.5. Narrowing columns (float32 capacities, rates) was not needed and would
make the engine read other values than the full scan's edge objects. Latency did not move: 100,000
edges, the 2,000 mixed requests and then each forced to cost_optimal and to balanced twice, before and
after in turn, three rounds each (load 1.2–1.7): mean per request cost_optimal 0.28 / 0.32 / 0.32 ms
before, 0.31 / 0.32 / 0.30 after; balanced 0.27 / 0.28 / 0.28 before, 0.28 / 0.29 / 0.27 after; p99s
0.96–1.51 ms before, 0.97–1.52 after, within one run's spread.

Where the time goes (\`node --cpu-prof\` over \`tools/bench/placement/profile.ts\`: the 2,000 requests on
100,000 edges, engine only): before this engine, 49.6 s in all, of which the filters over edge objects
(\`rejectReason\` 31 %, \`meetsCompliance\` 14 %, \`freeOf\` 6 %), \`dataLocalityScore\` 9 % and the
leaf loop's closure 10 % — per-edge work, ~13,000 edges for the slowest requests. After the
struct-of-arrays fleet (same bounds, commit aee1fed): 3.9 s in all, with the garbage collector 14 %,
\`expandByBound\` 13 %, \`queueNode\` 5 % and the per-slot \`value\` 4 % — the tree walk and the queue,
not the edges. The tighter ceilings since (mean of per-resource terms where every edge below holds them,
data sets counted per edge at the leaves, nothing queued below the k-th total) then cut the edges
examined: p99 at 100,000 edges from 7,400–15,500 for the factor-led strategies to 700–3,000.

Profile of this engine against the one before it (same driver, self time under \`place()\`, shares because
the machine's load changes absolute times): with the data-set union at inner nodes and a scan of the
leaf's edges for every leaf bound, cost_optimal spent 16 % in \`dataLocalityCeiling\` (the leaf scan),
12 % expanding leaves, 8 % in distances and 9 % in node bounds; a data_locality request spent ~30 % on
bounds. Dropping the data sets from the same cost_optimal requests cut their work p99 (node bounds +
leaf slots scanned + edges examined) ninefold, so the union was the loose ceiling. With co-held rows the
leaf scan is gone (the rows are exact for one or two requested sets and nearly so beyond) and node
bounds fall by a third for cost_optimal (mean 1,483 → 985 per request) while edges examined stay ~620;
the data_locality profile is now led by leaf expansion (18 %) and the bitset levels (13 %), and
cost_optimal by per-edge evaluation (16 %), leaf expansion (14 %) and node bounds (13 %). The joint
ceilings and the cheapest rate per zone then cut edges examined at p99 (same 400 requests per strategy,
100,000 edges): cost_optimal 3,298 → 1,783 (its tail was certification-zone requests whose cheapest
edges lacked the zone), balanced 2,537 → 1,955, capacity_optimal 2,604 → 1,408, load_balanced
1,314 → 1,103.

Then (same 400 requests per strategy, 100,000 edges, edges examined, deterministic where times are
not on the shared machine): per-certification-zone free room and joint sums, with the needs taken off
the joint sums, cut balanced p99 1,890 → 1,017 and cost_optimal 1,613 → 1,447; the cheapest rate
among each data set's holders (the bound of a node is the larger of its holders' and the rest's, which
score nothing on data locality) cut cost_optimal mean 507 → 273 and p99 1,447 → 982, balanced p99
1,017 → 951. Dropping the data sets from the requests had shown the data-locality ceiling as the
loose one: cost_optimal p99 1,447 → 401 without them, 942 without the resource needs.

Then most of a placement's time on this machine turned out to be memory reads, not work: the same
cost_optimal requests at 100,000 edges take 3–4× their warm time when the caches are evicted before
each (\`tools/bench/placement/focus.ts\` with \`FOCUS_COLD=1\`: p99 2.4 ms cold against 0.65 ms warm,
the benchmark's own p99 was 2.75 ms), and the edges of a leaf sat on a separate cache line of every
column each. Profile of the cold run (\`node --cpu-prof\`, 2,000 requests forced to cost_optimal, self
time under \`place()\`), the engine before these two changes against after, same machine minutes apart:
2,309 → 1,562 ms in all; leaf expansion (\`expandByBound\`) 289 → 109 ms, node bounds
(\`staticCeiling\`, \`nodeBound\`, \`dataLocalityCeiling\` before; \`jointCeiling\`, \`holderTiers\`,
\`resourceCeilings\`, \`nodeBound\` after) 558 → 450 ms, \`queueNode\` 184 → 124 ms, the bitset levels
(\`DataLevels\` + \`visitExactly\`) 227 → 203 ms. Bounding holders by the h-th cheapest rate cut
cost_optimal node bounds p99 1,791 → 1,185 and edges examined p99 982 → 847 (400 requests, 100,000
edges); numbering slots in leaf order changes no count. At 1,000,000 edges the bitset levels are the
largest part of a data-led request (36 % of the cold cost_optimal profile): a pass over every word of
each requested set's bitset, ~1 ms a request, whatever the latency budget.

Then the slowest cost_optimal and balanced requests at 100,000 edges were ones naming two data sets
and requiring a certification: the holders' cheapest rate was kept per data set only, so a node whose
cheap holders lacked the certification still bounded high. The rates are now also kept per data set
within each of hipaa, sox and pci_dss (\`ZonedSummaries.holderCosts\`, refreshed along the changed path
like the rest) and a request requiring them reads those rows. Counts (\`focus.ts\`, the same 400
requests per strategy, before → after, deterministic): 100,000 edges, cost_optimal node bounds mean
317 → 282 and p99 1,185 → 989, edges examined mean 244 → 233 and p99 847 → 847; balanced node bounds
mean 268 → 255 and p99 1,205 → 991, examined mean 327 → 306 and p99 922 → 891; the worst such
requests, a sox one on cost_optimal 1,785 → 1,088 bounds and 740 → 443 edges, a hipaa one on
balanced 1,657 → 1,318 bounds and 1,018 → 599 edges. At 1,000,000 edges cost_optimal node bounds p99
3,061 → 1,800. The slowest requests left require no certification (two to five data sets with large
cpu and memory needs), and the examined p99 at 100,000 edges is a capped-cost request. The view at
1,000,000 edges grows by the 120 float32 rows per node: 625 → 693 MiB (0.656 → 0.727 GB).
In the full run against the one before (load average at start 0.40 against 2.89, so part of the
change in times is the machine, not the engine): 100,000 edges, cost_optimal p99 1.01 → 0.94 ms wall
and 1.01 → 1.11 ms CPU, balanced 0.93 → 0.86 ms wall and 1.10 → 1.00 ms CPU; the CPU p99s still sit
at the target. Cold (\`focus.ts\` with \`FOCUS_COLD=1\`, before and after in turn, two rounds, load
0.3–0.4): wall p99 cost_optimal 1.44 / 1.73 → 1.38 / 1.60 ms, balanced 1.47 / 1.55 → 1.33 / 1.42 ms.
`,
  );
}

main();

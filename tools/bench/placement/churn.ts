import type { PlacementRequest } from '@kailash/contracts';
import { seededRandom } from '@kailash/random';
import type { FleetEdge } from '../../../apps/state-svc/src/placement/engine/fleet';
import { buildFleet } from '../../../apps/state-svc/src/placement/engine/fleet';
import { place } from '../../../apps/state-svc/src/placement/engine/place';
import { FLEET_REFRESH_MS } from '../../../apps/state-svc/src/placement/fleet-snapshot.store';
import { FleetView } from '../../../apps/state-svc/src/placement/fleet-view';
import { fmt, int, mean, p } from './measure';

export const CHURN = { edges: 100_000, changesPerSecond: 1_000, placementsPerSecond: 500 } as const;

export interface ChurnResult {
  readonly seconds: number;
  readonly changes: number;
  readonly placements: number;
  /** Per placement: time in `place()`, and from its scheduled arrival to its answer (queueing included). */
  readonly serviceMs: number[];
  readonly responseMs: number[];
  /** Per change: from its arrival on the stream to the view having applied it. */
  readonly lagMs: number[];
  /** Per change applied in place. */
  readonly applyUs: number[];
  readonly rebuildMs: number;
  readonly fullRebuilds: number;
  /** CPU time the process got over the run's wall time: the loop never waits, so below 100 % the machine held it back. */
  readonly cpuShare: number;
}

/** One change as the edges stream would carry it: load, lifecycle, price or a small move. */
function changeOf(edge: FleetEdge, random: () => number): FleetEdge {
  const roll = random();
  if (roll < 0.5) return { ...edge, allocated: { cpu: Math.floor(random() * 16) } };
  if (roll < 0.7) return { ...edge, lifecycle: edge.lifecycle === 'active' ? 'draining' : 'active' };
  if (roll < 0.85) return { ...edge, costPerHour: Math.round(random() * 500) / 100 };
  return { ...edge, lat: clampLat(edge.lat + random() - 0.5), lon: edge.lon };
}

const clampLat = (lat: number) => Math.max(-90, Math.min(90, lat));

/**
 * Open loop in one thread, as in the service: changes arrive at a steady rate and the view takes
 * what has arrived every FLEET_REFRESH_MS (the store's poll of the projection), placements arrive at
 * their own rate and are answered in turn. Lag is what the view adds behind the stream (the
 * projection's own lag behind NATS is not in it).
 */
export function runChurn(
  edges: readonly FleetEdge[],
  requests: readonly PlacementRequest[],
  seconds: number,
): ChurnResult {
  const random = seededRandom(31);
  const view = new FleetView();
  view.apply(1, edges);
  const rebuildStart = process.hrtime.bigint();
  buildFleet(edges);
  const rebuildMs = Number(process.hrtime.bigint() - rebuildStart) / 1e6;
  const latest = new Map(edges.map((edge) => [edge.edgeId, edge]));
  const ids = edges.map((edge) => edge.edgeId);
  const result: ChurnResult = {
    seconds,
    changes: 0,
    placements: 0,
    serviceMs: [],
    responseMs: [],
    lagMs: [],
    applyUs: [],
    rebuildMs,
    fullRebuilds: 0,
    cpuShare: 0,
  };
  const cpuAtStart = process.cpuUsage();
  const start = performance.now();
  const changeEvery = 1_000 / CHURN.changesPerSecond;
  const placeEvery = 1_000 / CHURN.placementsPerSecond;
  let nextChange = 0;
  let nextPlacement = 0;
  let nextRefresh = FLEET_REFRESH_MS;
  let position = 1;
  for (let now = 0; now < seconds * 1_000; now = performance.now() - start) {
    if (now >= nextRefresh) {
      const batch: { edge: FleetEdge; at: number }[] = [];
      for (; nextChange * changeEvery <= now; nextChange += 1) {
        const id = ids[Math.floor(random() * ids.length)] as string;
        const edge = changeOf(latest.get(id) as FleetEdge, random);
        latest.set(id, edge);
        batch.push({ edge, at: nextChange * changeEvery });
      }
      for (const { edge } of batch) {
        const applyStart = performance.now();
        view.apply((position += 1), [edge]);
        result.applyUs.push((performance.now() - applyStart) * 1_000);
      }
      const applied = performance.now() - start;
      for (const { at } of batch) result.lagMs.push(applied - at);
      nextRefresh += FLEET_REFRESH_MS;
    }
    for (; nextPlacement * placeEvery <= now; nextPlacement += 1) {
      const request = requests[nextPlacement % requests.length] as PlacementRequest;
      const serviceStart = performance.now();
      place(view.current, request);
      const done = performance.now();
      result.serviceMs.push(done - serviceStart);
      result.responseMs.push(done - start - nextPlacement * placeEvery);
    }
  }
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    ...result,
    cpuShare: (cpu.user + cpu.system) / 1e3 / (performance.now() - start),
    changes: result.lagMs.length,
    placements: result.serviceMs.length,
    fullRebuilds: view.fullRebuilds,
  };
}

export function churnTable(churn: ChurnResult): string {
  return `| changes applied | placements served | place() p50 / p99 ms | response p99 ms (arrival → answer) | view lag p50 / p99 / max ms | one change in place mean / p99 µs | full rebuild (same fleet) ms | full rebuilds during run | CPU share of the loop |
|---|---|---|---|---|---|---|---|---|
| ${int(churn.changes)} in ${churn.seconds} s | ${int(churn.placements)} | ${fmt(p(churn.serviceMs, 50))} / ${fmt(p(churn.serviceMs, 99))} | ${fmt(p(churn.responseMs, 99))} | ${fmt(p(churn.lagMs, 50))} / ${fmt(p(churn.lagMs, 99))} / ${fmt(Math.max(...churn.lagMs))} | ${mean(churn.applyUs).toFixed(1)} / ${p(churn.applyUs, 99).toFixed(1)} | ${churn.rebuildMs.toFixed(0)} | ${churn.fullRebuilds} | ${(100 * churn.cpuShare).toFixed(0)} % |`;
}

import fc from 'fast-check';
import type { EdgeLifecycle, PlacementRequest, PlacementResult } from '@kailash/contracts';
import { COMPLIANCE_ZONES, EDGE_LIFECYCLE_STATES } from '@kailash/contracts';
import {
  parseRequest,
  SYNTHETIC_DATA_SETS,
  syntheticFleet,
  syntheticRequests,
} from '../../../test/placement/synthetic-fleet';
import { FleetView } from '../fleet-view';
import type { Fleet, FleetEdge } from './fleet';
import { buildFleet, fleetEdge, isPlaceable } from './fleet';
import { JOINT_REFERENCES, referenceSums, staticScores } from './joint-ceilings';
import { DEFAULT_RESOURCES } from './scores';
import { place, placeByFullScan } from './place';
import { ZonedSummaries } from './zoned-summaries';
import { HolderCosts } from './holder-costs';

/** One change the fleet may go through: what heartbeats, load, operators and new edges do to it. */
type Change =
  | { kind: 'move'; edge: number; lat: number; lon: number }
  | { kind: 'lifecycle'; edge: number; lifecycle: EdgeLifecycle }
  | { kind: 'cost'; edge: number; cost: number | undefined }
  | { kind: 'load'; edge: number; cpu: number }
  | { kind: 'facts'; edge: number; zones: number; dataSets: number }
  | { kind: 'health'; edge: number; healthy: boolean }
  | { kind: 'new'; edge: number; lat: number; lon: number };

const index = fc.nat({ max: 10_000 });
/** Many changes land near one point, so leaves fill up and split while the fleet is searched. */
const clusteredLat = fc.oneof(
  fc.double({ min: -90, max: 90, noNaN: true }),
  fc.double({ min: 48, max: 49, noNaN: true }),
);
const clusteredLon = fc.oneof(
  fc.double({ min: -180, max: 180, noNaN: true }),
  fc.double({ min: 2, max: 3, noNaN: true }),
);

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('move' as const), edge: index, lat: clusteredLat, lon: clusteredLon }),
  fc.record({
    kind: fc.constant('lifecycle' as const),
    edge: index,
    lifecycle: fc.constantFrom(...EDGE_LIFECYCLE_STATES),
  }),
  fc.record({
    kind: fc.constant('cost' as const),
    edge: index,
    cost: fc.option(fc.double({ min: 0, max: 20, noNaN: true }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('load' as const), edge: index, cpu: fc.nat({ max: 80 }) }),
  fc.record({ kind: fc.constant('facts' as const), edge: index, zones: fc.nat(), dataSets: fc.nat() }),
  fc.record({ kind: fc.constant('health' as const), edge: index, healthy: fc.boolean() }),
  fc.record({ kind: fc.constant('new' as const), edge: index, lat: clusteredLat, lon: clusteredLon }),
);

function pickBits<T>(items: readonly T[], bits: number): T[] {
  return items.filter((_, i) => (bits >>> i) & 1);
}

/** Applies a change to the truth (the edges by id) and returns the edge as the projection would now describe it. */
function changed(edges: Map<string, FleetEdge>, order: string[], step: Change, serial: number): FleetEdge {
  if (step.kind === 'new') {
    const edge = fleetEdge({
      edgeId: `new-${serial}`,
      name: `New ${serial}`,
      region: 'eu-west',
      lat: step.lat,
      lon: step.lon,
      zones: pickBits(COMPLIANCE_ZONES, step.edge),
      lifecycle: 'active',
      capacity: { cpu: 8 + (step.edge % 56), memory: 64, ...(step.edge % 3 === 0 ? { gpu: 2 } : {}) },
      dataSets: pickBits(SYNTHETIC_DATA_SETS, step.edge * 7919),
      costPerHour: step.edge % 5 === 0 ? undefined : (step.edge % 400) / 100,
    });
    order.push(edge.edgeId);
    return edge;
  }
  const before = edges.get(order[step.edge % order.length] as string) as FleetEdge;
  switch (step.kind) {
    case 'move':
      return { ...before, lat: step.lat, lon: step.lon };
    case 'lifecycle':
      return { ...before, lifecycle: step.lifecycle };
    case 'cost':
      return { ...before, costPerHour: step.cost };
    case 'load':
      return { ...before, allocated: { cpu: step.cpu } };
    case 'health':
      return { ...before, healthy: step.healthy };
    case 'facts':
      return fleetEdge({
        ...before,
        zones: pickBits(COMPLIANCE_ZONES, step.zones),
        dataSets: pickBits(SYNTHETIC_DATA_SETS, step.dataSets),
      });
  }
}

const ranked = (result: PlacementResult) =>
  result.candidates.map((candidate) => `${candidate.edgeId}:${candidate.score}`);

const has = (set: Int32Array, slot: number) => ((set[slot >>> 5] as number) & (1 << (slot & 31))) !== 0;

/** The per-key bitsets and the root's co-held rows of a fleet changed in place, against its edges' own facts. */
function expectSubIndicesMatch(fleet: Fleet): void {
  const { keys, dataSetsLow, dataSetsHigh } = fleet.columns;
  const rows = new Map<number, [number, number]>();
  // Mismatches collected and asserted once: one expect per bit would dominate the property's run time.
  const wrong: string[] = [];
  for (const edge of fleet.edges) {
    const slot = fleet.columns.slotOf(edge.edgeId) as number;
    if (has(keys.placeable, slot) !== isPlaceable(edge)) wrong.push(`${edge.edgeId} placeable`);
    COMPLIANCE_ZONES.forEach((zone, at) => {
      if (has(keys.zones[at] as Int32Array, slot) !== ((edge.zoneMask & (1 << at)) !== 0))
        wrong.push(`${edge.edgeId} ${zone}`);
    });
    const low = dataSetsLow[slot] as number;
    const high = dataSetsHigh[slot] as number;
    for (let bit = 0; bit < 64; bit += 1) {
      const held = ((bit < 32 ? low : high) & (1 << (bit % 32))) !== 0;
      if (has(keys.dataSets[bit] as Int32Array, slot) !== held) wrong.push(`${edge.edgeId} data bit ${bit}`);
      if (!held || !isPlaceable(edge)) continue;
      const [rowLow, rowHigh] = rows.get(bit) ?? [0, 0];
      rows.set(bit, [rowLow | low, rowHigh | high]);
    }
  }
  for (let bit = 0; bit < 64; bit += 1) {
    const row = fleet.summaries.coHeld[bit];
    const [low, high] = rows.get(bit) ?? [0, 0];
    if ((row?.[0] ?? 0) !== low || (row?.[1] ?? 0) !== high) wrong.push(`root co-held row ${bit}`);
  }
  expect(wrong).toEqual([]);
}

/**
 * Every node's per-zone summaries, kept in place, against what they should be: a leaf's recomputed from
 * its slots' current facts, an inner node's the largest of its children's. A path left unrefreshed after
 * a change keeps a stale ceiling that may still be sound, so the answers alone would not show it.
 */
function expectZonedSummariesMatch(fleet: Fleet): void {
  const { tree, summaries } = fleet;
  const fresh = new ZonedSummaries(fleet.columns);
  fresh.grow(tree.nodeCount);
  const holders = new HolderCosts();
  holders.grow(tree.nodeCount);
  const sums = new Float64Array(JOINT_REFERENCES);
  const resources = DEFAULT_RESOURCES.map((name) => fleet.columns.resources.get(name));
  const scale = summaries.jointScale;
  // Children first: a split appends them after their parent.
  const refresh = (node: number): void => {
    const [left, right] = tree.children(node);
    if (left >= 0) {
      refresh(left);
      refresh(right);
      fresh.refreshParent(node, left, right);
      holders.refreshParent(node, left, right);
      return;
    }
    const items = tree.leafSlotArray;
    fresh.startLeaf(node, items, tree.leafStart(node), tree.leafEnd(node) - tree.leafStart(node));
    holders.startLeaf(node);
    for (let i = tree.leafStart(node); i < tree.leafEnd(node); i += 1) {
      const slot = items[i] as number;
      if (fleet.columns.placeable[slot] === 0) continue;
      const { dataSetsLow, dataSetsHigh, cost } = fleet.columns;
      const rate = cost[slot] as number;
      if (!Number.isNaN(rate)) {
        holders.offer(node, dataSetsLow[slot] as number, dataSetsHigh[slot] as number, rate);
        const zones = fleet.columns.zoneMask[slot] as number;
        fresh.offerHolder(node, zones, dataSetsLow[slot] as number, dataSetsHigh[slot] as number, rate);
      }
      if (!scale) continue;
      referenceSums(staticScores(fleet.columns, slot, scale, resources), sums, 0);
      fresh.offerJoint(node, fleet.columns.zoneMask[slot] as number, sums);
    }
  };
  if (tree.nodeCount > 0) refresh(0);
  const slice = (array: Float32Array, width: number) => Array.from(array.subarray(0, tree.nodeCount * width));
  const width = fresh.maxFree.length / tree.nodeCount;
  const jointWidth = fresh.joint.length / tree.nodeCount;
  expect(slice(summaries.zoned.maxFree, width)).toEqual(slice(fresh.maxFree, width));
  expect(slice(summaries.zoned.joint, jointWidth)).toEqual(slice(fresh.joint, jointWidth));
  // A row no edge holds any more is all Infinity, as a row never allocated would read.
  const none = new Float32Array(tree.nodeCount).fill(Infinity);
  for (let bit = 0; bit < 64; bit += 1)
    expect([bit, slice(summaries.holderCosts.rows[bit] ?? none, 1)]).toEqual([
      bit,
      slice(holders.rows[bit] ?? none, 1),
    ]);
  // The same per certification zone: the cheapest rate among the holders of a bit that hold the zone.
  fresh.holderCosts.forEach((zoneHolders, zone) => {
    const kept = summaries.zoned.holderCosts[zone] as HolderCosts;
    for (let bit = 0; bit < 64; bit += 1)
      expect([zone, bit, slice(kept.rows[bit] ?? none, 1)]).toEqual([
        zone,
        bit,
        slice(zoneHolders.rows[bit] ?? none, 1),
      ]);
  });
}

/** Strategies whose requests the bitsets lead; cost_optimal and balanced also bound holders by their rates. */
const DATA_LED_STRATEGIES = ['data_locality', 'compliance_first', 'cost_optimal', 'balanced'] as const;

/**
 * The request as a data-led one reading several data sets (the bitsets then lead the search), some with
 * weight overrides (the joint ceilings then rescale a strategy's stored sums to other weights) and some
 * with a cost cap (holding more sets then may only be affordable on fewer edges).
 */
function dataLed(request: PlacementRequest, pick: number): PlacementRequest {
  const dataSets = pickBits(SYNTHETIC_DATA_SETS, pick).slice(0, 3 + (pick % 5));
  const weights = pick % 3 === 0 ? { load: (pick >>> 3) % 4, capacity: (pick >>> 5) % 3 } : undefined;
  const strategy = DATA_LED_STRATEGIES[(pick >>> 7) % DATA_LED_STRATEGIES.length] ?? 'balanced';
  const maxCostPerHour = pick % 5 === 0 ? ((pick >>> 9) % 400) / 100 : request.maxCostPerHour;
  return { ...request, strategy, dataSets, weights, maxCostPerHour };
}

describe('place() stays exact on a fleet changed in place (property)', () => {
  it('equals the full scan of a freshly built fleet after any sequence of edge changes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.array(change, { maxLength: 250 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.nat(),
        (size, fleetSeed, changes, requestSeed, levelBudget, pick) => {
          const edges = new Map(syntheticFleet(size, fleetSeed).map((edge) => [edge.edgeId, edge]));
          const order = [...edges.keys()];
          const view = new FleetView();
          view.apply(1, [...edges.values()]);
          changes.forEach((step, serial) => {
            const edge = changed(edges, order, step, serial);
            edges.set(edge.edgeId, edge);
            view.apply(serial + 2, [edge]);
          });
          const truth = buildFleet([...edges.values()]);
          expect(view.fullRebuilds).toBe(0);
          expect(view.current.placeableCount).toBe(truth.placeableCount);
          expect(view.current.stats).toEqual(truth.stats);
          expectSubIndicesMatch(view.current);
          expectZonedSummariesMatch(view.current);
          const requests = syntheticRequests(6, requestSeed).map(parseRequest);
          for (const request of [...requests, ...requests.map((r, i) => dataLed(r, pick + i * 7919))]) {
            const scanned = placeByFullScan(truth, request);
            // The default budget examines every level the bitsets find; a small one hands most to the tree.
            for (const indexed of [
              place(view.current, request),
              place(view.current, request, { levelBudget }),
            ]) {
              expect(ranked(indexed)).toEqual(ranked(scanned));
              if (indexed.pruned === 0) expect(indexed.filtered).toEqual(scanned.filtered);
            }
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});

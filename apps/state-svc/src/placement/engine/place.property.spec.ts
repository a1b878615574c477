import fc from 'fast-check';
import type { EdgeLifecycle, PlacementResult } from '@kailash/contracts';
import { COMPLIANCE_ZONES, EDGE_LIFECYCLE_STATES } from '@kailash/contracts';
import {
  parseRequest,
  SYNTHETIC_DATA_SETS,
  syntheticFleet,
  syntheticRequests,
} from '../../../test/placement/synthetic-fleet';
import { FleetView } from '../fleet-view';
import type { FleetEdge } from './fleet';
import { buildFleet, fleetEdge } from './fleet';
import { place, placeByFullScan } from './place';

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

describe('place() stays exact on a fleet changed in place (property)', () => {
  it('equals the full scan of a freshly built fleet after any sequence of edge changes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.array(change, { maxLength: 250 }),
        fc.integer({ min: 1, max: 1_000 }),
        (size, fleetSeed, changes, requestSeed) => {
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
          for (const request of syntheticRequests(6, requestSeed).map(parseRequest)) {
            const indexed = place(view.current, request);
            const scanned = placeByFullScan(truth, request);
            expect(ranked(indexed)).toEqual(ranked(scanned));
            if (indexed.pruned === 0) expect(indexed.filtered).toEqual(scanned.filtered);
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});

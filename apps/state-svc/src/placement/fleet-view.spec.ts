import { seededRandom } from '@kailash/random';
import { syntheticFleet } from '../../test/placement/synthetic-fleet';
import { testEdge } from '../../test/placement/test-edges';
import { parseEdgeFact } from './edge-facts';
import { toFleetEdge } from './fleet-rows';
import { FleetView } from './fleet-view';

describe('FleetView: the fleet folded from projection deltas', () => {
  it('adds and replaces edges by id, places only active ones and counts lifecycles', () => {
    const view = new FleetView();
    view.apply(3, [testEdge('a'), testEdge('b'), testEdge('c', { lifecycle: 'warming' })]);
    expect(view.current.placeableCount).toBe(2);
    view.apply(5, [testEdge('b', { lifecycle: 'draining' })]);
    expect(view.position).toBe(5);
    expect(view.current.edges.map((edge) => edge.edgeId).sort()).toEqual(['a', 'b', 'c']);
    expect(view.current.placeableCount).toBe(1);
    expect(view.current.lifecycleCounts).toEqual({
      initialized: 0,
      warming: 1,
      active: 1,
      draining: 1,
      terminated: 0,
    });
  });

  it('changes the same fleet in place after the first load: zero full rebuilds while edges change', () => {
    const view = new FleetView();
    const booted = view.apply(3, syntheticFleet(2_000, 5));
    const random = seededRandom(8);
    for (let position = 4; position < 300; position += 1) {
      const id = `edge-${Math.floor(random() * 2_200)}`;
      const lifecycle = random() < 0.7 ? 'active' : 'draining';
      view.apply(position, [
        testEdge(id, { lat: 180 * random() - 90, lon: 360 * random() - 180, lifecycle }),
      ]);
    }
    view.apply(300, []);
    expect(view.current).toBe(booted);
    expect(view.position).toBe(300);
    expect(view.fullRebuilds).toBe(0);
  });

  it('replaces everything on a full load (projection rebuilt), and counts that rebuild', () => {
    const view = new FleetView();
    view.apply(7, [testEdge('a'), testEdge('b')]);
    view.apply(2, [testEdge('z')], true);
    expect(view.current.edges.map((edge) => edge.edgeId)).toEqual(['z']);
    expect(view.position).toBe(2);
    expect(view.fullRebuilds).toBe(1);
  });

  it('lays load and health facts over edges, before or after the projection describes them', () => {
    const view = new FleetView();
    view.applyFact({ edgeId: 'b', healthy: false });
    view.apply(1, [testEdge('a', { capacity: { cpu: 16 } }), testEdge('b')]);
    expect(view.current.placeableCount).toBe(1);
    view.applyFact({ edgeId: 'a', allocated: { cpu: 12 } });
    expect(view.current.stats.maxFree['cpu']).toBe(4);
    view.applyFact({ edgeId: 'b', healthy: true });
    expect(view.current.placeableCount).toBe(2);
    expect(view.current.stats.maxFree['cpu']).toBe(16);
    view.apply(2, [testEdge('a', { capacity: { cpu: 16 }, name: 'renamed' })]);
    const a = view.current.edges.find((edge) => edge.edgeId === 'a');
    expect(a).toEqual(expect.objectContaining({ name: 'renamed', allocated: { cpu: 12 } }));
  });

  it('refuses a malformed fact, naming the field', () => {
    expect(() => parseEdgeFact({ edgeId: 'a', allocated: { cpu: -1 } })).toThrow(/allocated\.cpu/);
    expect(() => parseEdgeFact({ edgeId: 'a', healthy: 'yes' })).toThrow(/healthy/);
    expect(() => parseEdgeFact({ edgeId: 'a', load: 1 })).toThrow(/load/);
  });

  it('maps the facts of the edges read port, treating missing placement facts as none', () => {
    const facts = {
      edgeId: 'e',
      name: 'E',
      region: 'eu-west',
      lat: 1,
      lon: 2,
      capacity: { cpu: 4 },
      zones: ['gdpr' as const],
      lifecycle: 'active' as const,
      dataSets: [],
    };
    const edge = toFleetEdge(facts);
    expect(edge).toEqual(
      expect.objectContaining({ edgeId: 'e', lat: 1, lon: 2, costPerHour: undefined, lifecycle: 'active' }),
    );
    expect(edge.dataSets).toEqual([]);
    expect(toFleetEdge({ ...facts, dataSets: ['orders'], costPerHour: 1.5 })).toEqual(
      expect.objectContaining({ dataSets: ['orders'], costPerHour: 1.5 }),
    );
  });
});

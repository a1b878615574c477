import { testEdge } from '../../test/placement/test-edges';
import { toFleetEdge } from './fleet-rows';
import { FleetView } from './fleet-view';

describe('FleetView: the fleet folded from projection deltas', () => {
  it('adds and replaces edges by id, indexes only active ones and counts lifecycles', () => {
    const view = new FleetView();
    view.apply(3, [testEdge('a'), testEdge('b'), testEdge('c', { lifecycle: 'warming' })]);
    expect(view.current.active.size).toBe(2);
    view.apply(5, [testEdge('b', { lifecycle: 'draining' })]);
    expect(view.position).toBe(5);
    expect(view.current.edges.map((edge) => edge.edgeId).sort()).toEqual(['a', 'b', 'c']);
    expect(view.current.active.size).toBe(1);
    expect(view.current.lifecycleCounts).toEqual({
      initialized: 0,
      warming: 1,
      active: 1,
      draining: 1,
      terminated: 0,
    });
  });

  it('moves only the position (same index) when the checkpoint advanced without edge changes', () => {
    const view = new FleetView();
    const before = view.apply(3, [testEdge('a')]);
    const after = view.apply(9, []);
    expect(after.position).toBe(9);
    expect(after.active).toBe(before.active);
  });

  it('replaces everything on a full load (projection rebuilt)', () => {
    const view = new FleetView();
    view.apply(7, [testEdge('a'), testEdge('b')]);
    view.apply(2, [testEdge('z')], true);
    expect(view.current.edges.map((edge) => edge.edgeId)).toEqual(['z']);
    expect(view.position).toBe(2);
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
    expect(edge.dataSets.size).toBe(0);
    expect(toFleetEdge({ ...facts, dataSets: ['orders'], costPerHour: 1.5 })).toEqual(
      expect.objectContaining({ dataSets: new Set(['orders']), costPerHour: 1.5 }),
    );
  });
});

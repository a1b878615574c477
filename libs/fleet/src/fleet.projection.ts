import type { Projection } from '@kailash/backbone';
import type { EdgeEvent } from '@kailash/contracts';
import { EDGE_EVENT_TYPES, edgeAfter, edgeEventCatalog } from '@kailash/contracts';
import { findFleetEdge, saveFleetEdge } from './fleet-rows';

/**
 * The STATE domain's edge events folded into `fleet_edges`. A current event carries the edge after
 * the change and is stored as it is; an event of version 1 (written before events carried the
 * edge) is folded onto the stored row by the same `edgeAfter` state-svc evolves with. A version 1
 * change to an edge this view never saw registered has nothing to apply to and is skipped, as
 * state-svc's own fold skips it.
 *
 * `name` is the checkpoint key and the durable consumer on the shared STATE stream, so it must
 * differ between services: FleetModule names it after the consuming service.
 */
export function fleetProjection(name: string): Projection<EdgeEvent> {
  return {
    name,
    catalog: edgeEventCatalog,
    handles: EDGE_EVENT_TYPES,
    apply: async (event, tx, position) => {
      const before = 'edge' in event.data ? undefined : await findFleetEdge(tx, event.aggregate.id);
      const after = edgeAfter(before, event);
      if (after) await saveFleetEdge(tx, after, position.seq, event.hlc);
    },
    reset: async (tx) => {
      await tx.query('TRUNCATE fleet_edges');
    },
  };
}

import type { Projection } from '@kailash/backbone';
import type { EdgeEvent } from '@kailash/contracts';
import { EDGE_EVENTS, stateEventCatalog } from '@kailash/contracts';
import { evolve } from './edge';
import { findEdgeState, saveEdge } from './edges.read-model';

/** The `edges` table: each event folded with the same `evolve` the write side uses. */
export const edgesProjection: Projection<EdgeEvent> = {
  name: 'edges',
  catalog: stateEventCatalog,
  handles: EDGE_EVENTS.map((definition) => definition.type),
  apply: async (event, tx, position) => {
    const current = await findEdgeState(tx, event.aggregate.id);
    await saveEdge(tx, evolve(current, event), position.seq, event.hlc);
  },
};

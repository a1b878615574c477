import type { Projection, SqlExecutor } from '@kailash/backbone';
import type { EdgeEvent } from '@kailash/contracts';
import { EDGE_EVENTS, stateEventCatalog } from '@kailash/contracts';
import { evolve, initialState } from './edge';
import { findEdgeState, saveEdge, saveTransition } from './edges.read-model';

/** The `edges` table, folded with the same `evolve` the write side uses, and the lifecycle history. */
export const edgesProjection: Projection<EdgeEvent> = {
  name: 'edges',
  catalog: stateEventCatalog,
  // The write side starts from these rows (snapshots): never skip an event it would then miss.
  stallInsteadOfDeadLetter: true,
  handles: EDGE_EVENTS.map((definition) => definition.type),
  apply: async (event, tx, position) => {
    // A current event carries the edge after it: only a version 1 event needs the row it changes.
    const current = 'edge' in event.data ? initialState() : await findEdgeState(tx, event.aggregate.id);
    await saveEdge(tx, evolve(current, event), position.seq, event.hlc);
    await recordTransition(tx, event, position.seq);
  },
  reset: async (tx) => {
    await tx.query('TRUNCATE edges, edge_transitions');
  },
};

async function recordTransition(tx: SqlExecutor, event: EdgeEvent, version: number): Promise<void> {
  const { edgeId } = event.data;
  switch (event.type) {
    case 'edge.registered':
      return saveTransition(tx, edgeId, {
        from: 'initialized',
        to: 'initialized',
        reason: 'registered',
        actor: event.actor ?? event.source.service,
        at: event.data.registeredAt,
        version,
      });
    case 'edge.lifecycle-changed':
      return saveTransition(tx, edgeId, { ...event.data, version });
    case 'edge.deregistered':
      return saveTransition(tx, edgeId, { ...event.data, to: 'terminated', version });
    default:
      return undefined;
  }
}

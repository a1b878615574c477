import type { Projection } from '@kailash/backbone';
import type { MonitorEdgeEvent } from '@kailash/contracts';
import { HEALTH_EVENTS, monitorEventCatalog } from '@kailash/contracts';

export const EDGE_FACTS_PROJECTION = 'edge-facts';

/** The one column of an edge's row that an event replaces, and its new value. */
function factOf(event: MonitorEdgeEvent): {
  readonly column: 'health' | 'utilisation';
  readonly value: string;
} {
  return event.type === 'edge.health.changed'
    ? { column: 'health', value: event.data.status }
    : { column: 'utilisation', value: JSON.stringify(event.data.utilisation) };
}

/**
 * The `edge_facts` table from monitoring's events: the latest health status and utilisation per
 * edge. Applied with the checkpoint in one transaction by the projection runner, so a redelivered
 * event changes nothing; an event that breaks its schema goes to the DLQ.
 */
export const edgeFactsProjection: Projection<MonitorEdgeEvent> = {
  name: EDGE_FACTS_PROJECTION,
  catalog: monitorEventCatalog,
  handles: HEALTH_EVENTS.map((definition) => definition.type),
  apply: async (event, tx, position) => {
    // The column name comes from the fixed pair above, never from the event.
    const { column, value } = factOf(event);
    await tx.query(
      `INSERT INTO edge_facts (edge_id, ${column}, version) VALUES ($1, $2, $3)
       ON CONFLICT (edge_id) DO UPDATE SET ${column} = EXCLUDED.${column}, version = EXCLUDED.version`,
      [event.data.edgeId, value, position.seq],
    );
  },
  reset: async (tx) => {
    await tx.query('TRUNCATE edge_facts');
  },
};

import type { Projection } from '@kailash/backbone';
import type { MonitorEdgeEvent } from '@kailash/contracts';
import { HEALTH_EVENTS, monitorEventCatalog } from '@kailash/contracts';

export const EDGE_FACTS_PROJECTION = 'edge-facts';

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
    const { edgeId } = event.data;
    if (event.type === 'edge.health.changed') {
      await tx.query(
        `INSERT INTO edge_facts (edge_id, health, version) VALUES ($1, $2, $3)
         ON CONFLICT (edge_id) DO UPDATE SET health = EXCLUDED.health, version = EXCLUDED.version`,
        [edgeId, event.data.status, position.seq],
      );
      return;
    }
    await tx.query(
      `INSERT INTO edge_facts (edge_id, utilisation, version) VALUES ($1, $2, $3)
       ON CONFLICT (edge_id) DO UPDATE SET utilisation = EXCLUDED.utilisation, version = EXCLUDED.version`,
      [edgeId, JSON.stringify(event.data.utilisation), position.seq],
    );
  },
  reset: async (tx) => {
    await tx.query('TRUNCATE edge_facts');
  },
};

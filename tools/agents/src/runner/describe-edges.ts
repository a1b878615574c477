import type { RequestClient } from '@kailash/backbone';
import { UpdateEdge } from '@kailash/contracts';
import type { FleetEdge } from '../fleet/fleet-file';

/**
 * Records on each registered edge what the fleet file says and an agent's configuration does not
 * carry: tags, cost per hour and provider, which placement's cost factor and discovery's tag
 * filter read. The tag the agent registers itself with is kept.
 */
export async function describeEdges(state: RequestClient, edges: readonly FleetEdge[]): Promise<void> {
  for (const edge of edges) {
    await state.send(UpdateEdge, {
      edgeId: edge.edgeId,
      changes: {
        tags: { agent: 'edge-agent', ...edge.tags },
        ...(edge.costPerHour === undefined ? {} : { costPerHour: edge.costPerHour }),
        ...(edge.provider === undefined ? {} : { provider: edge.provider }),
      },
    });
  }
}

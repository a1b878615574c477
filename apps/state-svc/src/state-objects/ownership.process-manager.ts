import { Inject, Injectable } from '@nestjs/common';
import type { Projection, SqlDatabase } from '@kailash/backbone';
import type { EdgeEvent } from '@kailash/contracts';
import { EdgeDeregistered, EdgeLifecycleChanged, KailashError, stateEventCatalog } from '@kailash/contracts';
import { SQL_DATABASE } from '@kailash/service-kit';
import { edgesProjection } from '../edges/edges.projection';
import { reactionTo } from './ownership';
import { StateObjectsService } from './state-objects.service';

export const OWNERSHIP_PROCESS = 'state-object-ownership';
const EDGES_CATCH_UP_MS = 10_000;

/**
 * Moves state objects off edges that drain, terminate or deregister, and gives orphans an owner
 * when an edge becomes active. It runs as a durable consumer of edge events, so a reaction
 * survives restarts and runs once per event across instances; a failed reaction is retried and
 * every step is idempotent (a transfer is a no-op once the object has moved).
 */
@Injectable()
export class OwnershipProcessManager {
  constructor(
    private readonly objects: StateObjectsService,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  projection(): Projection<EdgeEvent> {
    return {
      name: OWNERSHIP_PROCESS,
      catalog: stateEventCatalog,
      handles: [EdgeLifecycleChanged.type, EdgeDeregistered.type],
      apply: async (event, _tx, position) => {
        const reaction = reactionTo(event);
        if (reaction.kind === 'none') return;
        // Owner choice reads the edges table: wait until it reflects this event, or a departing
        // edge could look active to the choice and a new one could be missed.
        await this.edgesCaughtUpTo(position.seq);
        const reason = `${event.type} of edge '${event.data.edgeId}'`;
        if (reaction.kind === 'reassign') await this.objects.reassignFrom(reaction.edgeId, reason);
        else await this.objects.assignOrphans(reason);
      },
    };
  }

  private async edgesCaughtUpTo(seq: number): Promise<void> {
    const deadline = Date.now() + EDGES_CATCH_UP_MS;
    for (;;) {
      const [row] = await this.db.query<{ position: string }>(
        'SELECT position FROM projection_checkpoints WHERE name = $1',
        [edgesProjection.name],
      );
      if (Number(row?.position ?? 0) >= seq) return;
      if (Date.now() > deadline) {
        throw new KailashError(
          'UNAVAILABLE',
          `the edges projection has not reached sequence ${seq}; retrying the ownership reaction`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

import { Injectable } from '@nestjs/common';
import type { Projection } from '@kailash/backbone';
import type { EdgeEvent } from '@kailash/contracts';
import { EdgeDeregistered, EdgeLifecycleChanged, stateEventCatalog } from '@kailash/contracts';
import { ProjectionHost } from '@kailash/service-kit';
import { EdgesReadPort } from '../edges/edges.read-port';
import { reactionTo } from './ownership';
import { STATE_OBJECTS_PROJECTION } from './state-objects.projection';
import { StateObjectsService } from './state-objects.service';

export const OWNERSHIP_PROCESS = 'state-object-ownership';
/** Longer than a query's wait: a reaction that gives up is retried by its runner, nobody is waiting. */
const CATCH_UP_MS = 10_000;

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
    private readonly edges: EdgesReadPort,
    private readonly projections: ProjectionHost,
  ) {}

  projection(): Projection<EdgeEvent> {
    return {
      name: OWNERSHIP_PROCESS,
      catalog: stateEventCatalog,
      handles: [EdgeLifecycleChanged.type, EdgeDeregistered.type],
      apply: async (event, _tx, position) => {
        const reaction = reactionTo(event);
        if (reaction.kind === 'none') return;
        // Owner choice reads the active edges: wait until they reflect this event, or a departing
        // edge could look active to the choice and a new one could be missed.
        await this.projections.waitFor(this.edges.projection, position.seq, CATCH_UP_MS);
        // The objects to move come from the state-objects projection: let it take in every object
        // event stored so far, so an object created just before the edge left is not missed.
        await this.projections.waitFor(STATE_OBJECTS_PROJECTION, 'latest', CATCH_UP_MS);
        const reason = `${event.type} of edge '${event.data.edgeId}'`;
        if (reaction.kind === 'reassign') await this.objects.reassignFrom(reaction.edgeId, reason);
        else await this.objects.assignOrphans(reason);
      },
    };
  }
}

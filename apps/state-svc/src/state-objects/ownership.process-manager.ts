import { Inject, Injectable } from '@nestjs/common';
import type { Projection, SqlDatabase } from '@kailash/backbone';
import { findProjectionConsumer } from '@kailash/backbone';
import type { EdgeEvent } from '@kailash/contracts';
import {
  EdgeDeregistered,
  EdgeLifecycleChanged,
  KailashError,
  STATE_DOMAIN,
  stateEventCatalog,
  SubjectSpace,
} from '@kailash/contracts';
import { JETSTREAM_MANAGER, SQL_DATABASE, SUBJECTS } from '@kailash/service-kit';
import type { JetStreamManager } from '@nats-io/jetstream';
import { edgesProjection } from '../edges/edges.projection';
import { reactionTo } from './ownership';
import { STATE_OBJECTS_PROJECTION } from './state-objects.projection';
import { StateObjectsService } from './state-objects.service';

export const OWNERSHIP_PROCESS = 'state-object-ownership';
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
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(SUBJECTS) private readonly subjects: SubjectSpace,
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
        // The objects to move are read from the state_objects table: let it take in every object
        // event stored so far, so an object created just before the edge left is not missed.
        await this.objectsCaughtUp();
        const reason = `${event.type} of edge '${event.data.edgeId}'`;
        if (reaction.kind === 'reassign') await this.objects.reassignFrom(reaction.edgeId, reason);
        else await this.objects.assignOrphans(reason);
      },
    };
  }

  private edgesCaughtUpTo(seq: number): Promise<void> {
    return until(`the edges projection to reach sequence ${seq}`, async () => {
      const [row] = await this.db.query<{ position: string }>(
        'SELECT position FROM projection_checkpoints WHERE name = $1',
        [edgesProjection.name],
      );
      return Number(row?.position ?? 0) >= seq;
    });
  }

  private async objectsCaughtUp(): Promise<void> {
    const stream = this.subjects.stream(STATE_DOMAIN);
    const stored = (await this.jsm.streams.info(stream)).state.last_seq;
    await until(`the state-objects projection to apply events up to ${stored}`, async () => {
      const consumer = await findProjectionConsumer(this.jsm, stream, STATE_OBJECTS_PROJECTION);
      // Acknowledged only after its transaction committed, so the ack floor is what the table holds.
      return (
        consumer !== undefined &&
        (consumer.ack_floor.stream_seq >= stored || (consumer.num_pending === 0 && consumer.num_ack_pending === 0))
      );
    });
  }
}

/** Polls a condition; gives up with UNAVAILABLE so the runner retries the reaction later. */
async function until(what: string, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + CATCH_UP_MS;
  while (!(await done())) {
    if (Date.now() > deadline)
      throw new KailashError(
        'UNAVAILABLE',
        `gave up waiting for ${what}; the ownership reaction will be retried`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import type { JetStreamManager } from '@nats-io/jetstream';
import { BackboneError } from '../errors';
import { deleteProjectionConsumers, projectionConsumerName } from '../streams/stream-setup';
import { resetCheckpoint } from './checkpoints';
import type { Projection } from './projection';
import { ProjectorLock } from './projector-lock';
import type { SqlDatabase } from './sql';

export interface RebuildOptions {
  readonly jsm: JetStreamManager;
  readonly db: SqlDatabase;
  readonly stream: string;
  /** The service whose projection it is: its consumers are named after it. */
  readonly service: string;
  readonly projection: Projection;
}

/**
 * Rebuilds a projection from its stream: drops the durable consumer, empties the tables and the
 * checkpoint in one transaction. The next runner start re-creates the consumer at the first event
 * and replays everything. It takes the projector lock first, so it refuses to run while any
 * instance is projecting.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<void> {
  const { projection } = options;
  const reset = projection.reset?.bind(projection);
  if (!reset)
    throw new BackboneError(`projection ${projection.name} has no reset: it cannot be rebuilt by replay`);
  const lock = new ProjectorLock(options.db, projection.name);
  if (!(await lock.tryAcquire())) {
    throw new BackboneError(
      `projection ${projection.name} is being projected by a running instance; stop the service first`,
    );
  }
  try {
    await deleteProjectionConsumers(
      options.jsm,
      options.stream,
      projectionConsumerName(options.service, projection.name),
    );
    await options.db.transaction(async (tx) => {
      await lock.fence(tx);
      await reset(tx);
      await resetCheckpoint(tx, projection.name);
    });
  } finally {
    await lock.release();
  }
}

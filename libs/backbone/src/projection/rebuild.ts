import type { JetStreamManager } from '@nats-io/jetstream';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { resetCheckpoint } from './checkpoints';
import type { SqlDatabase, SqlExecutor } from './sql';

export interface RebuildOptions {
  readonly jsm: JetStreamManager;
  readonly db: SqlDatabase;
  readonly stream: string;
  readonly projection: string;
  /** Empties the projection's tables; runs in the same transaction as the checkpoint reset. */
  readonly truncate: (tx: SqlExecutor) => Promise<void>;
}

/**
 * Rebuilds a projection from its stream: drops the durable consumer, empties the tables and the
 * checkpoint. The next runner start re-creates the consumer at the first event and replays all.
 * Run it while the service's projectors are stopped.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<void> {
  try {
    await options.jsm.consumers.delete(options.stream, options.projection);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
  }
  await options.db.transaction(async (tx) => {
    await options.truncate(tx);
    await resetCheckpoint(tx, options.projection);
  });
}

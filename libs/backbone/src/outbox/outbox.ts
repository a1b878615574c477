import type { EventDraft } from '../publishing/event-publisher';
import type { SqlExecutor } from '../projection/sql';

/** An event committed in the writer's transaction and not yet known to be on its stream. */
export interface OutboxEntry {
  /** The event id is fixed when the row is written: it is the Nats-Msg-Id of every attempt. */
  readonly draft: EventDraft & { readonly id: string };
  /** Who caused the change, stored with it; the flusher publishes as this actor, never as its own caller. */
  readonly actor?: string | null;
}

/**
 * A service's outbox table, whatever its shape: the flusher needs its pending rows in the order
 * they must be published (at least per aggregate) and a way to retire one once it is on the stream.
 */
export interface OutboxStore<E extends OutboxEntry = OutboxEntry> {
  pending(db: SqlExecutor, limit: number): Promise<E[]>;
  /** Deletes the row (or marks it published); called once JetStream holds the event. */
  retire(db: SqlExecutor, entry: E): Promise<void>;
}

/**
 * Attempt marks of every outbox in a database: the stream's last sequence seen just before an
 * event's first publish attempt. An event stored by that attempt can only be found after it.
 */
export const OUTBOX_ATTEMPTS_DDL = `CREATE TABLE IF NOT EXISTS outbox_attempts (
  event_id text PRIMARY KEY,
  after_sequence bigint NOT NULL
)`;

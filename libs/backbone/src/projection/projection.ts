import type { EventCatalog, EventEnvelope } from '@kailash/contracts';
import type { SqlExecutor } from './sql';

export interface EventPosition {
  readonly stream: string;
  readonly seq: number;
  readonly subject: string;
}

/** A read model: which events it understands and how each one changes its tables. */
export interface Projection<E extends EventEnvelope = EventEnvelope> {
  /** Checkpoint key and durable consumer name: [A-Za-z0-9_-]. */
  readonly name: string;
  readonly catalog: EventCatalog;
  /** Event types to apply; others on the same subjects are acknowledged and skipped. Default: all. */
  readonly handles?: readonly string[];
  apply(event: E, tx: SqlExecutor, position: EventPosition): Promise<void>;
  /**
   * Optional: applies a whole batch at once (e.g. one multi-row INSERT). Same effect as calling
   * `apply` for each event in order; the runner falls back to `apply` one by one when it throws.
   */
  applyBatch?(events: readonly PositionedEvent<E>[], tx: SqlExecutor): Promise<void>;
  /**
   * When the write side loads aggregates from this projection's rows (snapshots), skipping a valid
   * event would silently drop it from the aggregate for good. Such a projection stalls and keeps
   * retrying (visible in logs, the failed counter and consumer lag) instead of dead-lettering.
   */
  readonly stallInsteadOfDeadLetter?: boolean;
  /**
   * Empties the projection's tables, for a rebuild from the stream. Absent on consumers with side
   * effects (process managers): replaying those would repeat the effects.
   */
  reset?(tx: SqlExecutor): Promise<void>;
}

export interface PositionedEvent<E extends EventEnvelope = EventEnvelope> {
  readonly event: E;
  readonly position: EventPosition;
}

import type { EventEnvelope } from '@kailash/contracts';
import type { EventDraft, PublishedEvent } from '../publishing/event-publisher';

/** The pure half of an aggregate (emmett's decider): how it starts, folds an event, and decides. */
export interface Decider<State, Command, E extends EventEnvelope> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: E) => State;
  /**
   * Pure: the events a command produces in a state, or a KailashError saying why not. JetStream
   * 2.9 has no atomic multi-message append, so a decision should be one event where it can be.
   */
  readonly decide: (command: Command, state: State) => readonly EventDraft[];
}

/** A state folded by the same `evolve` up to stream sequence `seq` (e.g. a projection row). */
export interface Snapshot<State = unknown> {
  readonly state: State;
  readonly seq: number;
}

/** How the store rebuilds an aggregate from its subject. */
export type LoadStrategy<State> =
  /** Snapshot (if any) plus every event after it. */
  | {
      readonly kind: 'replay';
      readonly snapshotOf?: (aggregateId: string) => Promise<Snapshot<State> | undefined>;
    }
  /**
   * Every event carries the aggregate's whole state (lease events do): the last event alone is the
   * state, so an aggregate renewed every few seconds never costs more than one read.
   */
  | { readonly kind: 'last-event' };

export interface AggregateDefinition<State, Command, E extends EventEnvelope> extends Decider<
  State,
  Command,
  E
> {
  /** Aggregate type: the subject token after `evt`, as in the events' `aggregate.type`. */
  readonly type: string;
  readonly load?: LoadStrategy<State>;
  /** Appends tried before answering CONFLICT (other instances writing the same aggregate). */
  readonly maxAttempts?: number;
}

export interface LoadedAggregate<State> {
  readonly state: State;
  /** Stream sequence of the aggregate's last event (0 if none): the expected sequence for the next append. */
  readonly version: number;
  /** Events read from the stream to rebuild it (0 when the cache or a snapshot was current). */
  readonly events: number;
  /** HLC stamp of the last event, so the writer's clock can move past what it decided on. */
  readonly lastHlc?: string;
}

export interface CommandResult<State> {
  /** The state after the appended events. */
  readonly state: State;
  /** The state the winning decision was made on (a conflict makes the store decide again). */
  readonly decidedOn: State;
  readonly version: number;
  readonly published: readonly PublishedEvent[];
}

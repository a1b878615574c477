import type { LoadedAggregate } from '@kailash/backbone';
import { AggregateReader } from '@kailash/backbone';
import type { EventCatalog, EventEnvelope } from '@kailash/contracts';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';

/**
 * Loads an aggregate whose every event carries its whole state (lease events do) from its last
 * event only. An edge agent renews its lease every few seconds; replaying the full history on each
 * renewal would cost O(history) and, past the base reader's fetch limit, read a truncated state.
 * The version is still the last subject sequence, so optimistic concurrency is unchanged.
 */
export class LastEventReader extends AggregateReader {
  constructor(
    js: JetStreamClient,
    private readonly manager: JetStreamManager,
    private readonly streamName: string,
    private readonly eventCatalog: EventCatalog,
  ) {
    super(js, manager, streamName, eventCatalog);
  }

  override async load<State, E extends EventEnvelope>(
    subject: string,
    initialState: () => State,
    evolve: (state: State, event: E) => State,
  ): Promise<LoadedAggregate<State>> {
    const last = await this.manager.streams.getMessage(this.streamName, { last_by_subj: subject });
    if (!last) return { state: initialState(), version: 0, events: 0 };
    const event = this.eventCatalog.parse(last.json()) as E;
    return { state: evolve(initialState(), event), version: last.seq, events: 1 };
  }
}

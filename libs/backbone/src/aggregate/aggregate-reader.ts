import type { EventCatalog, EventEnvelope } from '@kailash/contracts';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';

export interface LoadedAggregate<State> {
  readonly state: State;
  /** Stream sequence of the aggregate's last event (0 if none): the expected sequence for the next append. */
  readonly version: number;
  readonly events: number;
}

/**
 * Rebuilds one aggregate's state from its own subject, so the write side never depends on a
 * projection that may lag behind the stream.
 */
export class AggregateReader {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private readonly catalog: EventCatalog,
  ) {}

  async load<State, E extends EventEnvelope>(
    subject: string,
    initialState: () => State,
    evolve: (state: State, event: E) => State,
  ): Promise<LoadedAggregate<State>> {
    const last = await this.jsm.streams.getMessage(this.stream, { last_by_subj: subject });
    if (!last) return { state: initialState(), version: 0, events: 0 };
    const consumer = await this.js.consumers.get(this.stream, { filter_subjects: subject } /* a string keeps it working on NATS 2.9 */);
    let state = initialState();
    let events = 0;
    const messages = await consumer.fetch({ max_messages: 100_000, expires: 5000 });
    for await (const msg of messages) {
      state = evolve(state, this.catalog.parse(msg.json()) as E);
      events++;
      if (msg.seq >= last.seq) break;
    }
    return { state, version: last.seq, events };
  }
}

import type { EventCatalog, EventEnvelope } from '@kailash/contracts';
import { EVENT_HEADERS } from '@kailash/contracts';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { DeliverPolicy } from '@nats-io/jetstream';
import { BackboneError } from '../errors';

export interface LoadedAggregate<State> {
  readonly state: State;
  /** Stream sequence of the aggregate's last event (0 if none): the expected sequence for the next append. */
  readonly version: number;
  /** Events read from the stream to rebuild it (0 when a snapshot was current). */
  readonly events: number;
  /** HLC stamp of the last event, so the writer's clock can move past what it decided on. */
  readonly lastHlc?: string;
}

/** A state folded by the same `evolve` up to stream sequence `seq` (e.g. a projection row). */
export interface Snapshot<State = unknown> {
  readonly state: State;
  readonly seq: number;
}

export interface AggregateReaderOptions {
  /**
   * Where to start instead of the first event: the fold of everything up to `seq`. Snapshot plus
   * the tail equals a full replay, so a long-lived aggregate loads in one row and a short tail.
   */
  readonly snapshotOf?: (subject: string) => Promise<Snapshot | undefined>;
  /** Most events fetched per round trip. */
  readonly fetchBatch?: number;
}

/**
 * Rebuilds one aggregate's state from its own subject, so the write side never depends on a
 * projection that may lag behind the stream (a snapshot only shortens the replay).
 */
export class AggregateReader {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private readonly catalog: EventCatalog,
    private readonly options: AggregateReaderOptions = {},
  ) {}

  async load<State, E extends EventEnvelope>(
    subject: string,
    initialState: () => State,
    evolve: (state: State, event: E) => State,
  ): Promise<LoadedAggregate<State>> {
    const last = await this.jsm.streams.getMessage(this.stream, { last_by_subj: subject });
    if (!last) return { state: initialState(), version: 0, events: 0 };
    const lastHlc = last.header.get(EVENT_HEADERS.hlc) || undefined;
    const snapshot = await this.options.snapshotOf?.(subject);
    const usable = snapshot !== undefined && snapshot.seq <= last.seq;
    let state = usable ? (snapshot.state as State) : initialState();
    let position = usable ? snapshot.seq : 0;
    let events = 0;
    while (position < last.seq) {
      const before = position;
      for await (const msg of await this.fetchAfter(subject, position, last.seq)) {
        state = evolve(state, this.catalog.parse(msg.json()) as E);
        position = msg.seq;
        events++;
        if (position >= last.seq) break;
      }
      if (position === before) throw new BackboneError(`${subject}: events up to ${last.seq} could not be read (stuck at ${position})`);
    }
    return { state, version: last.seq, events, ...(lastHlc ? { lastHlc } : {}) };
  }

  private async fetchAfter(subject: string, position: number, lastSeq: number) {
    const consumer = await this.js.consumers.get(this.stream, {
      filter_subjects: subject, // a string keeps it working on NATS 2.9
      ...(position > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: position + 1 } : {}),
    });
    const batch = this.options.fetchBatch ?? 1000;
    return consumer.fetch({ max_messages: Math.min(batch, lastSeq - position), expires: 5000 });
  }
}

import type { EventCatalog, EventEnvelope } from '@kailash/contracts';
import { EVENT_HEADERS } from '@kailash/contracts';
import type { JetStreamManager, MsgRequest, StoredMsg } from '@nats-io/jetstream';
import { BackboneError } from '../errors';

/**
 * Reads one aggregate's subject with stream message gets (STREAM.MSG.GET), never with a consumer:
 * a consumer per read lingers on the server until its inactivity threshold, and thousands of them
 * make the server spend its time listing consumers. `next_by_subj` (NATS 2.9) walks the subject's
 * events one request each, which is cheap for the short tail after a cached state or a snapshot.
 */
export class SubjectReader {
  constructor(
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private readonly catalog: EventCatalog,
  ) {}

  async last(subject: string): Promise<StoredMsg | null> {
    return this.jsm.streams.getMessage(this.stream, { last_by_subj: subject });
  }

  /** Folds the subject's events after `from` up to and including `to` into `state`. */
  async foldTail<State, E extends EventEnvelope>(
    subject: string,
    state: State,
    from: number,
    to: number,
    evolve: (state: State, event: E) => State,
  ): Promise<{ state: State; events: number }> {
    let position = from;
    let events = 0;
    while (position < to) {
      // The server answers the first message of the subject at or after `seq`.
      const query = { seq: position + 1, next_by_subj: subject } as unknown as MsgRequest;
      const message = await this.jsm.streams.getMessage(this.stream, query);
      if (!message || message.seq > to)
        throw new BackboneError(`${subject}: events up to ${to} could not be read (stuck at ${position})`);
      state = evolve(state, this.parse<E>(message));
      position = message.seq;
      events++;
    }
    return { state, events };
  }

  parse<E extends EventEnvelope>(message: StoredMsg): E {
    return this.catalog.parse(message.json()) as E;
  }
}

export const hlcOf = (message: StoredMsg): string | undefined =>
  message.header.get(EVENT_HEADERS.hlc) || undefined;

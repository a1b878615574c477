import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a request carries from the transport that received it (HTTP or NATS) down to the events it
 * causes and back to its reply, without threading arguments through every layer:
 * - `correlationId` and `principal` (the authenticated actor) flow into published events and logs;
 * - `minSequence` is the stream sequence a query must have applied before answering (read-your-writes);
 * - `lastSequence` is raised by every append, so the reply can tell the caller what to ask for next.
 */
export interface RequestScope {
  readonly correlationId?: string;
  principal?: string;
  readonly minSequence?: number;
  lastSequence?: number;
}

/** Wire names of the read-your-writes handshake, shared by every transport. */
export const SEQUENCE_HEADERS = {
  /** Request header (HTTP) or envelope field `minSequence` (NATS): answer only after applying this sequence. */
  minSequence: 'kailash-min-sequence',
  /** Response header (HTTP) or reply field `sequence` (NATS): stream sequence of the last event appended. */
  sequence: 'kailash-sequence',
} as const;

const storage = new AsyncLocalStorage<RequestScope>();

export const RequestContext = {
  /** Runs `work` inside a scope; everything it awaits sees the same scope. */
  run<T>(scope: RequestScope, work: () => T): T {
    return storage.run(scope, work);
  },

  current(): RequestScope | undefined {
    return storage.getStore();
  },

  /** Called after each append: the reply reports the highest sequence this request wrote. */
  recordSequence(sequence: number): void {
    const scope = storage.getStore();
    if (scope && sequence > (scope.lastSequence ?? 0)) scope.lastSequence = sequence;
  },
};

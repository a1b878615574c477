import type { JetStreamManager, MsgRequest } from '@nats-io/jetstream';

/** An event as the stream stores it: its envelope, and where it sits. */
export interface StoredEvent {
  readonly seq: number;
  readonly subject: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  /** The whole envelope as published (id, aggregate, hlc, correlationId, …). */
  readonly envelope: Record<string, unknown>;
}

/**
 * Every event stored under a subject filter, in stream order. It walks the stream with
 * "next message on or after this sequence matching the filter" gets: no consumer is created, so
 * nothing is left behind on the server however often a test asks.
 */
export async function readStoredEvents(
  jsm: JetStreamManager,
  stream: string,
  subjectFilter: string,
  fromSeq = 1,
): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (let seq = fromSeq; ;) {
    // The client's type lists only sequence and last-by-subject gets; the server (2.9+) also
    // answers next-by-subject, which is what walks a filter without a consumer.
    const query = { seq, next_by_subj: subjectFilter } as unknown as MsgRequest;
    const msg = await jsm.streams.getMessage(stream, query);
    if (!msg) return events;
    const envelope = msg.json<Record<string, unknown>>();
    events.push({
      seq: msg.seq,
      subject: msg.subject,
      type: String(envelope['type']),
      data: (envelope['data'] ?? {}) as Record<string, unknown>,
      envelope,
    });
    seq = msg.seq + 1;
  }
}

import { randomUUID } from 'node:crypto';
import type { DataOf, EventCatalog, EventDefinition, EventEnvelope, SubjectSpace } from '@kailash/contracts';
import { EVENT_HEADERS, eventEnvelopeSchema, parseWith } from '@kailash/contracts';
import type { HybridLogicalClock } from '@kailash/hlc';
import { encodeHlc } from '@kailash/hlc';
import type { JetStreamClient } from '@nats-io/jetstream';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { RequestContext } from '../context/request-context';
import { ConcurrencyConflictError, PublishError } from '../errors';
import { BackboneMetrics } from '../metrics/backbone-metrics';
import { StoredEvents } from '../outbox/stored-events';

export interface EventDraft<D extends EventDefinition = EventDefinition> {
  readonly definition: D;
  readonly aggregateId: string;
  readonly data: DataOf<D>;
  /** Reuse an id to make a retried publish idempotent (JetStream drops the duplicate). */
  readonly id?: string;
  readonly causationId?: string;
  readonly correlationId?: string;
  readonly deps?: readonly string[];
}

export interface PublishOptions {
  /**
   * Optimistic concurrency: the stream sequence of the aggregate's last event as the caller saw it,
   * 0 when the aggregate must not exist yet. Omit to append unconditionally.
   */
  readonly expectedLastSubjectSequence?: number;
}

export interface PublishedEvent<D extends EventDefinition = EventDefinition> {
  readonly event: EventEnvelope<D['type'], DataOf<D>>;
  readonly subject: string;
  readonly seq: number;
  /** True when JetStream already held an event with this id: nothing new was stored. */
  readonly duplicate: boolean;
}

export interface EventPublisherOptions {
  readonly js: JetStreamClient;
  readonly subjects: SubjectSpace;
  readonly domain: string;
  readonly clock: HybridLogicalClock;
  readonly source: { readonly service: string; readonly instance: string };
  readonly catalog: EventCatalog;
  readonly metrics?: BackboneMetrics;
  readonly timeoutMs?: number;
}

/** Stamps, validates and appends events to a domain stream, one subject per aggregate. */
export class EventPublisher {
  private readonly stream: string;
  private readonly metrics: BackboneMetrics;
  /** What this publisher's stream already holds, for callers that must not append an event twice. */
  readonly stored: StoredEvents;

  constructor(private readonly options: EventPublisherOptions) {
    this.stream = options.subjects.stream(options.domain);
    this.metrics = options.metrics ?? BackboneMetrics.for();
    this.stored = new StoredEvents(options.js, this.stream);
  }

  /** The subject a draft's event is appended to: its aggregate's. */
  subjectOf(draft: Pick<EventDraft, 'definition' | 'aggregateId'>): string {
    return this.options.subjects.event(
      this.options.domain,
      draft.definition.aggregateType,
      draft.aggregateId,
    );
  }

  async publish<D extends EventDefinition>(
    draft: EventDraft<D>,
    options: PublishOptions = {},
  ): Promise<PublishedEvent<D>> {
    const event = this.envelope(draft);
    const subject = this.subjectOf(draft);
    try {
      const ack = await this.appendOnce(subject, event, options);
      if (ack.duplicate) this.metrics.duplicates.inc({ stream: this.stream });
      else this.metrics.published.inc({ stream: this.stream, type: event.type });
      return { event, subject, seq: ack.seq, duplicate: ack.duplicate };
    } catch (error) {
      if (isWrongLastSequence(error)) {
        this.metrics.conflicts.inc({ stream: this.stream });
        throw new ConcurrencyConflictError(subject, options.expectedLastSubjectSequence ?? -1, {
          cause: error,
        });
      }
      throw new PublishError(`publishing ${event.type} to ${subject} failed`, { cause: error });
    }
  }

  /**
   * A publish that times out may still have been stored. Sending the very same message again (same
   * Nats-Msg-Id, same expectation) inside the dedup window settles it: JetStream answers with the
   * stored sequence and `duplicate`, so a retry never appends twice and a caller never sees a false failure.
   */
  private async appendOnce(subject: string, event: EventEnvelope, options: PublishOptions) {
    const payload = JSON.stringify(event);
    const publishOptions = {
      msgID: event.id,
      headers: this.headersOf(event),
      timeout: this.options.timeoutMs ?? 5000,
      expect:
        options.expectedLastSubjectSequence === undefined
          ? {}
          : { lastSubjectSequence: options.expectedLastSubjectSequence },
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.options.js.publish(subject, payload, publishOptions);
      } catch (error) {
        // Answers from JetStream (e.g. wrong last sequence) are final; only transport failures are retried.
        if (error instanceof JetStreamApiError || attempt >= PUBLISH_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  /** Merges a stamp the caller read (e.g. an aggregate's last event) into the clock that stamps our events. */
  observe(hlc: string): void {
    try {
      this.options.clock.receive(hlc);
    } catch {
      // Beyond the max offset: the guard counted it and kept it out of our clock.
    }
  }

  /** Appends several events of one aggregate in order, each expecting the one before it. */
  async publishAll(drafts: readonly EventDraft[], options: PublishOptions = {}): Promise<PublishedEvent[]> {
    const published: PublishedEvent[] = [];
    let expected = options.expectedLastSubjectSequence;
    for (const draft of drafts) {
      const result = await this.publish(draft, { expectedLastSubjectSequence: expected });
      published.push(result);
      expected = expected === undefined ? undefined : result.seq;
    }
    return published;
  }

  /**
   * The whole envelope is checked with the schema its readers parse it with, not only `data`: an id
   * or a dependency a reader refuses would be stored for good and dead-lettered by every consumer.
   */
  private envelope<D extends EventDefinition>(draft: EventDraft<D>): EventEnvelope<D['type'], DataOf<D>> {
    const { definition } = draft;
    const data = this.options.catalog.validateData(definition, draft.data);
    // Who asked: the principal the transport authenticated, never a field the caller filled in.
    const actor = RequestContext.current()?.principal;
    const envelope: EventEnvelope<D['type'], DataOf<D>> = {
      id: draft.id ?? randomUUID(),
      type: definition.type,
      v: definition.v,
      aggregate: { type: definition.aggregateType, id: draft.aggregateId },
      hlc: encodeHlc(this.options.clock.now()),
      source: this.options.source,
      ...(draft.causationId ? { causationId: draft.causationId } : {}),
      ...(draft.correlationId ? { correlationId: draft.correlationId } : {}),
      ...(actor ? { actor } : {}),
      ...(draft.deps ? { deps: [...draft.deps] } : {}),
      data,
    };
    parseWith(eventEnvelopeSchema, envelope, 'event');
    return envelope;
  }

  private headersOf(event: EventEnvelope): ReturnType<typeof headers> {
    const h = headers();
    h.set(EVENT_HEADERS.type, event.type);
    h.set(EVENT_HEADERS.version, String(event.v));
    h.set(EVENT_HEADERS.hlc, event.hlc);
    if (event.correlationId) h.set(EVENT_HEADERS.correlationId, event.correlationId);
    return h;
  }
}

const PUBLISH_ATTEMPTS = 3;

function isWrongLastSequence(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence;
}

import type { SubjectSpace } from '@kailash/contracts';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';

export const DEAD_LETTER_HEADERS = {
  reason: 'Kailash-Dlq-Reason',
  detail: 'Kailash-Dlq-Detail',
  stream: 'Kailash-Dlq-Stream',
  sequence: 'Kailash-Dlq-Sequence',
  subject: 'Kailash-Dlq-Subject',
  consumer: 'Kailash-Dlq-Consumer',
  deliveries: 'Kailash-Dlq-Deliveries',
  originalPrefix: 'Kailash-Dlq-Orig-',
} as const;

export type DeadLetterReason = 'invalid-json' | 'invalid-envelope' | 'invalid-data' | 'handler-failed';

/** Copies a poison message to `<ns>.dlq.<service>.<consumer>` with its reason and original headers. */
export class DeadLetterPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly subjects: SubjectSpace,
    private readonly service: string,
    private readonly consumer: string,
  ) {}

  async publish(msg: JsMsg, reason: DeadLetterReason, detail: string): Promise<void> {
    const h = headers();
    for (const key of msg.headers?.keys() ?? []) {
      // Nats-* headers are instructions to JetStream (expected sequence, message id): kept, renamed,
      // so they describe the original instead of being checked against the DLQ stream.
      const name = key.toLowerCase().startsWith('nats-')
        ? `${DEAD_LETTER_HEADERS.originalPrefix}${key}`
        : key;
      for (const value of msg.headers?.values(key) ?? []) h.append(name, value);
    }
    h.set(DEAD_LETTER_HEADERS.reason, reason);
    h.set(DEAD_LETTER_HEADERS.detail, detail.replace(/[\r\n]+/g, ' ').slice(0, 1024));
    h.set(DEAD_LETTER_HEADERS.stream, msg.info.stream);
    h.set(DEAD_LETTER_HEADERS.sequence, String(msg.seq));
    h.set(DEAD_LETTER_HEADERS.subject, msg.subject);
    h.set(DEAD_LETTER_HEADERS.consumer, this.consumer);
    h.set(DEAD_LETTER_HEADERS.deliveries, String(msg.info.deliveryCount));
    // A retried dead-lettering of the same message is dropped by the DLQ stream's dedup window.
    await this.js.publish(this.subjects.deadLetter(this.service, this.consumer), msg.data, {
      headers: h,
      msgID: `dlq-${msg.info.stream}-${this.consumer}-${msg.seq}`,
    });
  }
}

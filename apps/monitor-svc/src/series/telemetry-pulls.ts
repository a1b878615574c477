import type { Consumer, JsMsg } from '@nats-io/jetstream';

/**
 * Pulls of the metrics ingest, one ahead of the batch being written while a backlog lasts: the
 * next pull's messages arrive from NATS while the current one's transaction runs (a pull from an
 * older part of a large backlog was measured taking 1–2 s). Each pull asks for no more than the
 * consumer still has pending, since a pull ends only when full or expired; with nothing pending
 * it waits for new batches up to its expiry, and nothing is fetched ahead. `prepare` (decoding)
 * runs as soon as a pull's messages are in, so the pull fetched ahead is decoded while the
 * current transaction waits on the database.
 */
export class TelemetryPuller<Batch extends { readonly messages: readonly JsMsg[] }> {
  /** Messages past the last pull the stream still holds for the consumer; unknown at first. */
  private pending?: number;
  private ahead?: Promise<Batch>;

  constructor(
    private readonly consumer: Consumer,
    private readonly batchSize: number,
    private readonly expiresMs: number,
    private readonly prepare: (messages: JsMsg[]) => Batch,
  ) {}

  /** The next pull's messages, in stream order; the pull after it is under way if more are pending. */
  async next(): Promise<Batch> {
    const ahead = this.ahead;
    this.ahead = undefined;
    const pulled = await (ahead ?? this.pull());
    const last = pulled.messages[pulled.messages.length - 1];
    this.pending = last?.info.pending;
    if (this.pending !== undefined && this.pending > 0) {
      this.ahead = this.pull();
      // Seen by the next `next()` (or `abandon()`); not an unhandled rejection meanwhile.
      this.ahead.catch(() => undefined);
    }
    return pulled;
  }

  /** Hands what was fetched ahead back to NATS (nak), so it is redelivered at once. */
  async abandon(): Promise<void> {
    const ahead = this.ahead;
    this.ahead = undefined;
    const batch = await ahead?.catch(() => undefined);
    for (const msg of batch?.messages ?? []) msg.nak();
  }

  private async pull(): Promise<Batch> {
    this.pending ??= (await this.consumer.info()).num_pending;
    const iterator = await this.consumer.fetch({
      max_messages: this.pending > 0 ? Math.min(this.batchSize, this.pending) : this.batchSize,
      expires: this.expiresMs,
    });
    const pulled: JsMsg[] = [];
    for await (const msg of iterator) pulled.push(msg);
    return this.prepare(pulled);
  }
}

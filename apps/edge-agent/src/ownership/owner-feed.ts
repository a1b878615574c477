import { Logger } from '@nestjs/common';
import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { DeliverPolicy } from '@nats-io/jetstream';

export interface OwnerFeedOptions {
  readonly js: JetStreamClient;
  /** The state domain's stream. */
  readonly stream: string;
  /** Waited between attempts while the stream is missing (state-svc not started yet) or NATS is away. */
  readonly retryMs: number;
  readonly onMessage: (msg: JsMsg) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * One ordered consumer over a subject filter of a stream, from its first event: the server pushes
 * what changes, so nothing is polled and the cost grows with the events, not with time or with the
 * number of objects followed. `follow` again starts over (a replay, which a fold of owners survives).
 */
export class OwnerFeed {
  private readonly logger = new Logger('OwnerFeed');
  private generation = 0;
  private messages: ConsumerMessages | undefined;
  private stopped = false;
  private lastWarning = '';

  constructor(private readonly options: OwnerFeedOptions) {}

  follow(filter: string): void {
    const generation = ++this.generation;
    void this.messages?.close();
    this.messages = undefined;
    void this.run(generation, filter);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    await this.messages?.close();
  }

  /** A missing stream is expected until state-svc has started; anything else (permissions) is said once. */
  private report(error: unknown): void {
    const text = String(error);
    if (/stream not found/i.test(text)) this.logger.debug({ msg: 'state stream not there yet', error: text });
    else if (text !== this.lastWarning) this.logger.warn({ msg: 'owner feed failed; retrying', error: text });
    this.lastWarning = text;
  }

  private current(generation: number): boolean {
    return !this.stopped && generation === this.generation;
  }

  private async run(generation: number, filter: string): Promise<void> {
    while (this.current(generation)) {
      try {
        const consumer = await this.options.js.consumers.get(this.options.stream, {
          // One filter: NATS before 2.10 takes no list of them.
          filter_subjects: filter,
          deliver_policy: DeliverPolicy.All,
        });
        if (!this.current(generation)) return;
        const messages = await consumer.consume();
        // A newer follow (or stop) may have come while this one was being set up: it is not ours to keep.
        if (!this.current(generation)) {
          await messages.close();
          return;
        }
        this.messages = messages;
        for await (const msg of messages) {
          if (!this.current(generation)) break;
          this.options.onMessage(msg);
        }
      } catch (error) {
        this.report(error);
      }
      if (this.current(generation)) await sleep(this.options.retryMs);
    }
  }
}

import type { JetStreamClient, JetStreamManager, MsgRequest } from '@nats-io/jetstream';

/** Reads a stream to settle whether an earlier attempt already stored an event. */
export class StoredEvents {
  private manager?: Promise<JetStreamManager>;

  constructor(
    private readonly js: JetStreamClient,
    private readonly stream: string,
  ) {}

  /** Anything stored from now on gets a higher sequence. */
  async lastSequence(): Promise<number> {
    const info = await (await this.jsm()).streams.info(this.stream);
    return info.state.last_seq;
  }

  /**
   * Walks the subject's messages after `afterSequence` for one whose Nats-Msg-Id is `eventId`.
   * Every message of the subject is looked at, not only its last: other writers (another outbox,
   * reports published directly) share an aggregate's subject, so ours need not be the latest.
   */
  async isStored(subject: string, eventId: string, afterSequence: number): Promise<boolean> {
    const jsm = await this.jsm();
    for (let seq = afterSequence + 1; ;) {
      const query = { seq, next_by_subj: subject } as unknown as MsgRequest;
      const message = await jsm.streams.getMessage(this.stream, query);
      if (!message) return false;
      if (message.header.get('Nats-Msg-Id') === eventId) return true;
      seq = message.seq + 1;
    }
  }

  private jsm(): Promise<JetStreamManager> {
    this.manager ??= this.js.jetstreamManager(false).catch((error: unknown) => {
      this.manager = undefined;
      throw error;
    });
    return this.manager;
  }
}

import type { SessionStamp } from '@kailash/coordination';

/**
 * The numbering of a client session (Raft thesis §6.3): one sequence number per write, kept across
 * that write's retries, so the group applies it once and answers a retry with the recorded
 * response. `ack` tells the group which answers it may forget: every number below the oldest write
 * still awaiting its answer.
 */
export class SessionNumbering {
  private next = 1;
  private readonly outstanding = new Set<number>();

  constructor(readonly clientId: number) {}

  /** Numbers a new write; call `done` once it is answered (or given up). */
  begin(): { stamp: () => SessionStamp; done: () => void } {
    const seq = this.next++;
    this.outstanding.add(seq);
    return {
      stamp: () => ({ clientId: this.clientId, seq, ack: this.ack() }),
      done: () => this.outstanding.delete(seq),
    };
  }

  private ack(): number {
    let lowest = this.next;
    for (const seq of this.outstanding) if (seq < lowest) lowest = seq;
    return lowest;
  }
}

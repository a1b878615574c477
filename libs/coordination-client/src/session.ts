import { randomBytes } from 'node:crypto';
import type { CoordSession } from '@kailash/contracts';

/**
 * A client's session (Raft thesis §6.3): a random client id and one sequence number per write. A
 * retried write reuses its number, so the group applies it once and answers the retry with the
 * recorded response. `ackBelow` tells the group which answers it may forget: every number below
 * the oldest write still awaiting its answer.
 */
export class ClientSession {
  readonly clientId: string;
  private next = 1;
  private readonly outstanding = new Set<number>();

  constructor(clientId?: string) {
    this.clientId = clientId ?? `c${randomBytes(9).toString('base64url')}`;
  }

  /** Numbers a new write; call `done` once it is answered (or given up). */
  begin(): { session: () => CoordSession; done: () => void } {
    const seq = this.next++;
    this.outstanding.add(seq);
    return {
      session: () => ({ clientId: this.clientId, seq, ackBelow: this.ackBelow() }),
      done: () => this.outstanding.delete(seq),
    };
  }

  private ackBelow(): number {
    let lowest = this.next;
    for (const seq of this.outstanding) if (seq < lowest) lowest = seq;
    return lowest;
  }
}

import type { NodeId } from './types';

interface PendingRead {
  readonly index: number;
  readonly from: NodeId;
  readonly context: string;
  readonly acks: Set<NodeId>;
}

/**
 * ReadIndex bookkeeping (thesis §6.4): a read is answered at the commit index the leader had when it
 * arrived, once a quorum confirmed by heartbeat that this node was still the leader.
 */
export class ReadOnly {
  private readonly pending = new Map<string, PendingRead>();
  private readonly queue: string[] = [];

  add(index: number, from: NodeId, context: string): void {
    if (this.pending.has(context)) return;
    this.pending.set(context, { index, from, context, acks: new Set() });
    this.queue.push(context);
  }

  /** Records a heartbeat ack for `context`; returns how many nodes acknowledged it. */
  recvAck(id: NodeId, context: string): number {
    const read = this.pending.get(context);
    if (!read) return 0;
    read.acks.add(id);
    return read.acks.size;
  }

  acks(context: string): ReadonlySet<NodeId> {
    return this.pending.get(context)?.acks ?? new Set();
  }

  /** Confirming a later read confirms every earlier one too: pops them all, in order. */
  advance(context: string): PendingRead[] {
    const at = this.queue.indexOf(context);
    if (at < 0) return [];
    const done = this.queue.splice(0, at + 1);
    return done.map((ctx) => {
      const read = this.pending.get(ctx) as PendingRead;
      this.pending.delete(ctx);
      return read;
    });
  }

  lastPendingContext(): string | undefined {
    return this.queue[this.queue.length - 1];
  }
}

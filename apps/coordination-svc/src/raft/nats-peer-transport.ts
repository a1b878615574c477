import type { Message, NodeId, RaftTransport } from '@kailash/raft';
import { decodeMessages, encodeMessages } from '@kailash/raft';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';

/** NATS refuses payloads above its max_payload (1 MiB by default); a batch is split well below it. */
const MAX_BATCH_BYTES = 768 * 1024;

export interface PeerSubjects {
  /** The subject a node listens on for its peers' Raft messages. */
  peer(id: NodeId): string;
}

export function peerSubjects(namespace: string): PeerSubjects {
  return { peer: (id) => `${namespace}.coord.raft.peer.${id}` };
}

export interface TransportCounters {
  batchesSent: number;
  messagesSent: number;
  bytesSent: number;
  batchesRefused: number;
}

/**
 * Raft messages over NATS core (not JetStream): a subject per peer, one publish per destination per
 * Ready (the Ready's messages to one peer form one batch). Raft tolerates loss, duplication and
 * reordering, so fire-and-forget publishes are enough; an unreachable peer simply stops answering.
 */
export class NatsPeerTransport implements RaftTransport {
  readonly counters: TransportCounters = { batchesSent: 0, messagesSent: 0, bytesSent: 0, batchesRefused: 0 };

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: PeerSubjects,
  ) {}

  send(messages: readonly Message[]): void {
    const byPeer = new Map<NodeId, Message[]>();
    for (const message of messages) {
      const batch = byPeer.get(message.to);
      if (batch) batch.push(message);
      else byPeer.set(message.to, [message]);
    }
    for (const [peer, batch] of byPeer) this.publish(peer, batch);
  }

  /**
   * Publishes `messages` and hands them to the socket before returning, so they travel while the
   * caller blocks in an fsync. False (nothing sent) when the connection offers no synchronous flush.
   */
  sendNow(messages: readonly Message[]): boolean {
    const flush = synchronousFlush(this.nc);
    if (!flush) return false;
    this.send(messages);
    flush();
    return true;
  }

  private publish(peer: NodeId, batch: readonly Message[]): void {
    const payload = encodeMessages(batch);
    if (payload.length > MAX_BATCH_BYTES && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      this.publish(peer, batch.slice(0, half));
      this.publish(peer, batch.slice(half));
      return;
    }
    if (this.nc.isClosed()) return;
    this.nc.publish(this.subjects.peer(peer), payload);
    this.counters.batchesSent++;
    this.counters.messagesSent += batch.length;
    this.counters.bytesSent += payload.length;
  }

  /** Delivers every well-formed batch addressed to `self`; a malformed one is counted and dropped. */
  listen(
    self: NodeId,
    deliver: (messages: Message[]) => void,
    onRefused: (reason: string) => void,
  ): Subscription {
    return this.nc.subscribe(this.subjects.peer(self), {
      callback: (error, msg) => {
        if (error) return;
        let messages: Message[];
        try {
          messages = decodeMessages(msg.data).filter((message) => message.to === self);
        } catch (refused) {
          this.counters.batchesRefused++;
          onRefused((refused as Error).message);
          return;
        }
        if (messages.length > 0) deliver(messages);
      },
    });
  }
}

/**
 * nats.js writes what was published on a microtask, i.e. after the synchronous code that published
 * it; its protocol handler's flushPending writes the pending bytes to the socket now. It is not part
 * of the typed API, so it is looked up and used only when present.
 */
function synchronousFlush(nc: NatsConnection): (() => void) | undefined {
  const protocol = (nc as unknown as { protocol?: { flushPending?: () => void } }).protocol;
  const flushPending = protocol?.flushPending;
  return typeof flushPending === 'function' ? () => flushPending.call(protocol) : undefined;
}

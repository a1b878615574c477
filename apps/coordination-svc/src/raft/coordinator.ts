import type { ErrorCode } from '@kailash/contracts';
import { isKailashError, KailashError } from '@kailash/contracts';
import type { ConfChange, NodeId } from '@kailash/raft';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Packr } from 'msgpackr';
import type { Command, SessionStamp } from '@kailash/coordination';
import { CoordinationMachine } from '../state/coordination-machine';
import type { ClusterView, MemberProgress } from './cluster-view';
import { clusterView } from './cluster-view';
import { notLeader, type Replica } from './replica';

const packr = new Packr({ useRecords: false, moreTypes: false });

type Forwarded =
  | { readonly kind: 'propose'; readonly command: Command; readonly session?: SessionStamp }
  | { readonly kind: 'conf'; readonly change: ConfChange }
  | { readonly kind: 'transfer'; readonly target: NodeId }
  | { readonly kind: 'progress' };

type ForwardReply =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: { code: ErrorCode; message: string; details?: unknown } };

/** Writes a follower forwards in the same turn of its event loop travel as one message (and one reply). */
interface ForwardedBatch {
  readonly kind: 'batch';
  readonly requests: readonly Forwarded[];
}

interface QueuedForward {
  readonly request: Forwarded;
  readonly resolve: (reply: ForwardReply) => void;
  readonly reject: (error: Error) => void;
}

export type ReadConsistency = 'linearizable' | 'serializable';

/**
 * What the API calls on a replica: any replica accepts a request. A follower forwards writes and
 * membership changes to the leader it knows (one hop over NATS; the leader does not forward again)
 * and answers NOT_LEADER with the hint when it knows none. Reads are served locally: after a
 * ReadIndex round by default, straight from the applied state when `serializable` is asked.
 */
export class Coordinator {
  private subscription: Subscription | undefined;
  private readonly queued = new Map<NodeId, QueuedForward[]>();

  constructor(
    private readonly replica: Replica,
    private readonly nc: NatsConnection,
    private readonly forwardTimeoutMs: number,
  ) {}

  private subject(id: NodeId): string {
    return `${this.replica.settings.namespace}.coord.raft.fwd.${id}`;
  }

  start(): void {
    this.subscription = this.nc.subscribe(this.subject(this.replica.settings.id), {
      callback: (error, msg) => {
        if (error) return;
        // A reply that cannot be sent (the connection closing) is a request the caller retries.
        void this.serveForwarded(msg.data)
          .then((reply) => msg.respond(packr.pack(reply)))
          .catch(() => undefined);
      },
    });
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }

  /**
   * Proposes a command and resolves with the state machine's response to it. The leader stamps the
   * proposal with its clock: lease deadlines are decided on the leader's time, never a follower's.
   */
  async write(command: Command, session?: SessionStamp): Promise<unknown> {
    return this.onLeader({ kind: 'propose', command, ...(session ? { session } : {}) });
  }

  /** Runs `read` on local state: after a ReadIndex round unless `serializable` is asked. */
  async read<T>(read: () => T, consistency: ReadConsistency = 'linearizable'): Promise<T> {
    if (consistency === 'linearizable') await this.replica.linearizableBarrier();
    return read();
  }

  changeMembership(change: ConfChange): Promise<unknown> {
    return this.onLeader({ kind: 'conf', change });
  }

  transferLeadership(target: NodeId): Promise<unknown> {
    return this.onLeader({ kind: 'transfer', target });
  }

  /** This replica's view, with every member's match index from the leader (asked if it is elsewhere). */
  async cluster(): Promise<ClusterView> {
    let progress: readonly MemberProgress[] | undefined;
    try {
      progress = (await this.onLeader({ kind: 'progress' })) as MemberProgress[];
    } catch {
      progress = undefined;
    }
    return clusterView(this.replica, progress);
  }

  private async onLeader(request: Forwarded): Promise<unknown> {
    if (this.replica.isLeader()) return this.serveLocally(request);
    const leader = this.replica.leader();
    if (leader === 0) throw notLeader(0);
    const reply = await (request.kind === 'propose'
      ? this.forwardBatched(leader, request)
      : this.forward(leader, request));
    if (reply.ok) return reply.result;
    throw new KailashError(reply.error.code, reply.error.message, reply.error.details);
  }

  /**
   * Queues a write for the leader; the writes queued in this turn of the event loop leave together,
   * so the leader reads, proposes and answers them as one batch (one NATS round trip for all).
   */
  private forwardBatched(leader: NodeId, request: Forwarded): Promise<ForwardReply> {
    return new Promise((resolve, reject) => {
      const queue = this.queued.get(leader);
      if (queue) {
        queue.push({ request, resolve, reject });
        return;
      }
      this.queued.set(leader, [{ request, resolve, reject }]);
      setImmediate(() => this.flushForwards(leader));
    });
  }

  private flushForwards(leader: NodeId): void {
    const queue = this.queued.get(leader) ?? [];
    this.queued.delete(leader);
    const batch: ForwardedBatch = { kind: 'batch', requests: queue.map((q) => q.request) };
    this.forward(leader, batch).then(
      (replies) => {
        const answers = replies as unknown as ForwardReply[];
        queue.forEach((q, i) => q.resolve(answers[i] ?? missingReply()));
      },
      (error: Error) => queue.forEach((q) => q.reject(error)),
    );
  }

  private async forward(leader: NodeId, request: Forwarded | ForwardedBatch): Promise<ForwardReply> {
    try {
      const msg = await this.nc.request(this.subject(leader), packr.pack(request), {
        timeout: this.forwardTimeoutMs,
      });
      return packr.unpack(msg.data) as ForwardReply;
    } catch (error) {
      throw new KailashError('UNAVAILABLE', `leader ${leader} did not answer: ${(error as Error).message}`, {
        reason: 'LEADER_UNREACHABLE',
        leaderHint: leader,
        retryable: true,
      });
    }
  }

  private async serveForwarded(bytes: Uint8Array): Promise<ForwardReply | ForwardReply[]> {
    let request: Forwarded | ForwardedBatch;
    try {
      request = packr.unpack(bytes) as Forwarded | ForwardedBatch;
    } catch (error) {
      return failed(error);
    }
    if (request.kind !== 'batch') return this.serveOne(request);
    return Promise.all(request.requests.map((one) => this.serveOne(one)));
  }

  private async serveOne(request: Forwarded): Promise<ForwardReply> {
    try {
      if (!this.replica.isLeader()) throw notLeader(this.replica.leader());
      return { ok: true, result: await this.serveLocally(request) };
    } catch (error) {
      return failed(error);
    }
  }

  private async serveLocally(request: Forwarded): Promise<unknown> {
    switch (request.kind) {
      case 'propose':
        return this.replica.propose(
          CoordinationMachine.proposal(request.command, request.session, Date.now()),
        );
      case 'conf':
        await this.replica.changeMembership(request.change);
        return { applied: true };
      case 'transfer':
        this.replica.transferLeadership(request.target);
        return { transferring: request.target };
      case 'progress':
        return leaderProgress(this.replica);
    }
  }
}

function failed(error: unknown): ForwardReply {
  const kailash = isKailashError(error)
    ? error
    : new KailashError('INTERNAL', `forwarded request failed: ${(error as Error).message}`);
  return { ok: false, error: kailash.toBody() };
}

function missingReply(): ForwardReply {
  return failed(
    new KailashError('UNAVAILABLE', 'the leader answered fewer requests than it was sent', {
      retryable: true,
    }),
  );
}

function leaderProgress(replica: Replica): MemberProgress[] {
  const progress = replica.node.progress();
  if (!progress) throw notLeader(replica.leader());
  const lastIndex = replica.node.status().lastIndex;
  return [...progress].map(([id, p]) => ({
    id,
    match: p.match,
    next: p.next,
    state: p.state,
    learner: p.isLearner,
    lag: lastIndex - p.match,
  }));
}

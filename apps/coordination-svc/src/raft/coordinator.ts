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

export type ReadConsistency = 'linearizable' | 'serializable';

/**
 * What the API calls on a replica: any replica accepts a request. A follower forwards writes and
 * membership changes to the leader it knows (one hop over NATS; the leader does not forward again)
 * and answers NOT_LEADER with the hint when it knows none. Reads are served locally: after a
 * ReadIndex round by default, straight from the applied state when `serializable` is asked.
 */
export class Coordinator {
  private subscription: Subscription | undefined;

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
        void this.serveForwarded(msg.data).then((reply) => msg.respond(packr.pack(reply)));
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
    const reply = await this.forward(leader, request);
    if (reply.ok) return reply.result;
    throw new KailashError(reply.error.code, reply.error.message, reply.error.details);
  }

  private async forward(leader: NodeId, request: Forwarded): Promise<ForwardReply> {
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

  private async serveForwarded(bytes: Uint8Array): Promise<ForwardReply> {
    try {
      const request = packr.unpack(bytes) as Forwarded;
      if (!this.replica.isLeader()) throw notLeader(this.replica.leader());
      return { ok: true, result: await this.serveLocally(request) };
    } catch (error) {
      const kailash = isKailashError(error)
        ? error
        : new KailashError('INTERNAL', `forwarded request failed: ${(error as Error).message}`);
      return { ok: false, error: kailash.toBody() };
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

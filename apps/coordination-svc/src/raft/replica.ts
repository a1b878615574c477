import { KailashError } from '@kailash/contracts';
import type {
  AppliedConfChange,
  ConfChange,
  Entry,
  Message,
  NodeId,
  RaftApplication,
  ReadState,
  Ready,
  SaveBatch,
  Snapshot,
  SoftState,
} from '@kailash/raft';
import {
  BackpressureError,
  ConfChangeInProgressError,
  DiskStorage,
  AsyncRaftDriver,
  InvalidConfChangeError,
  NotLeaderError,
  ProposalDroppedError,
  RaftDriver,
  RawNode,
  SeededRandom,
} from '@kailash/raft';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { ReplicatedStateMachine } from '../state/state-machine.port';
import { NatsPeerTransport, peerSubjects } from './nats-peer-transport';
import { PendingProposals } from './pending';
import { ReadBatcher } from './read-batcher';
import type { ReplicaObserver } from './replica-observer';
import { NO_OBSERVER } from './replica-observer';

export interface ReplicaSettings {
  readonly id: NodeId;
  /** Voters of a brand-new cluster; ignored once the WAL exists, and empty for a node that joins later. */
  readonly initialVoters: readonly NodeId[];
  readonly dataDir: string;
  readonly namespace: string;
  readonly tickMs: number;
  readonly electionTick: number;
  readonly heartbeatTick: number;
  /** Take a snapshot (and compact the log) once this many entries are applied past the last one. */
  readonly snapshotEntries: number;
  /** Entries kept behind a snapshot, so a briefly slow follower catches up from the log, not a snapshot. */
  readonly snapshotKeep: number;
  /** Bytes per InstallSnapshot chunk (NATS carries each in one message, well under its 1 MiB limit). */
  readonly snapshotChunkBytes: number;
  readonly proposalTimeoutMs: number;
  /** The leader's appends leave before its own fsync (see Replica.save); default on. */
  readonly earlyAppends?: boolean;
  /** The WAL's fdatasync runs off the event loop (see Replica.save); default off (measured slower). */
  readonly deferredSync?: boolean;
}

export interface ReplicaDependencies {
  readonly nc: NatsConnection;
  readonly stateMachine: ReplicatedStateMachine;
  readonly observer?: ReplicaObserver;
  readonly now?: () => number;
  /**
   * Told once when persisting, sending or applying failed: the node is then ahead of what it has
   * handled and must be rebuilt from its WAL (the process exits and is restarted).
   */
  readonly onFailure?: (error: Error) => void;
}

interface QueuedProposal {
  readonly data: Uint8Array;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/**
 * One member of the Raft group: its WAL (DiskStorage), the node and the library's Ready loop, the
 * NATS transport to its peers, and the state machine it applies committed entries to. Proposals
 * arriving in the same turn of the event loop go into one Ready, so they share one fsync and one
 * append round to the followers.
 */
export class Replica implements RaftApplication {
  readonly storage: DiskStorage;
  readonly node: RawNode;
  readonly transport: NatsPeerTransport;
  private readonly driver: RaftDriver | AsyncRaftDriver;
  private readonly pending: PendingProposals;
  private readonly reads: ReadBatcher;
  private readonly observer: ReplicaObserver;
  private readonly now: () => number;
  private queue: QueuedProposal[] = [];
  private flushScheduled = false;
  private subscription: Subscription | undefined;
  private timers: NodeJS.Timeout[] = [];
  private soft: SoftState = { lead: 0, role: 'follower' };
  /** Commit index first learned from a leader; readiness waits until it is applied. */
  private readyTarget: number | undefined;
  private snapshots = 0;
  private failureReported = false;
  private installed = 0;
  private lastSnapshotBytes = 0;
  /** Appends of the Ready being persisted that already left (see save). */
  private sentEarly = new Set<Message>();

  constructor(
    readonly settings: ReplicaSettings,
    private readonly deps: ReplicaDependencies,
  ) {
    this.observer = deps.observer ?? NO_OBSERVER;
    this.now = deps.now ?? Date.now;
    this.storage = DiskStorage.open(settings.dataDir, { voters: [...settings.initialVoters], learners: [] });
    const snapshot = this.storage.snapshot();
    if (snapshot.metadata.index > 0) deps.stateMachine.restore(snapshot.data);
    this.node = new RawNode(
      {
        id: settings.id,
        electionTick: settings.electionTick,
        heartbeatTick: settings.heartbeatTick,
        random: new SeededRandom(settings.id * 7919 + (this.now() % 100_000)),
        preVote: true,
        checkQuorum: true,
        snapshotChunkSize: settings.snapshotChunkBytes,
      },
      this.storage,
    );
    this.transport = new NatsPeerTransport(deps.nc, peerSubjects(settings.namespace));
    const loop = {
      node: this.node,
      storage: { save: (batch: SaveBatch) => this.save(batch) },
      transport: { send: (messages: readonly Message[]) => this.sendAfterPersist(messages) },
      application: this,
    };
    this.driver =
      settings.deferredSync === true
        ? new AsyncRaftDriver({ ...loop, onFailure: () => this.reportFailure() })
        : new RaftDriver({ ...loop, storage: { save: (batch) => void this.save(batch) } });
    this.pending = new PendingProposals(settings.proposalTimeoutMs);
    this.reads = new ReadBatcher(
      (context) => this.driver.readIndex(context),
      settings.proposalTimeoutMs,
      this.now,
    );
  }

  start(): void {
    this.subscription = this.transport.listen(
      this.settings.id,
      (messages) => this.deliver(messages),
      (reason) => this.observer.refusedBatch(reason),
    );
    this.timers.push(setInterval(() => this.tick(), this.settings.tickMs));
    this.timers.push(setInterval(() => this.expire(), 100));
    this.driver.drain();
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.subscription?.unsubscribe();
    const stopped = new KailashError('UNAVAILABLE', 'replica is shutting down', { retryable: true });
    this.pending.rejectAll(stopped);
    this.reads.rejectAll(stopped);
    // The fdatasync in flight must finish on an open descriptor; a failed driver has nothing left.
    if (this.driver instanceof AsyncRaftDriver) await this.driver.stop().catch(() => undefined);
    this.storage.close();
  }

  get failed(): Error | undefined {
    return this.driver.failed;
  }

  leader(): NodeId {
    return this.soft.lead;
  }

  isLeader(): boolean {
    return this.soft.role === 'leader';
  }

  /** A leader is known and everything committed when this replica first heard of one is applied. */
  isReady(): boolean {
    const status = this.node.status();
    return (
      !this.failed &&
      status.lead !== 0 &&
      this.readyTarget !== undefined &&
      status.applied >= this.readyTarget
    );
  }

  /** Snapshots taken here, snapshots installed from a leader, and the size of the last one. */
  snapshotStats(): { count: number; installed: number; lastBytes: number } {
    return { count: this.snapshots, installed: this.installed, lastBytes: this.lastSnapshotBytes };
  }

  /** Proposes a command on this replica, which must lead; resolves with the state machine's result. */
  propose(data: Uint8Array): Promise<unknown> {
    this.assertLeader();
    return new Promise((resolve, reject) => {
      this.queue.push({ data, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => this.flushProposals());
    });
  }

  /** Resolves once a read arriving now may be served from local state (ReadIndex). */
  linearizableBarrier(): Promise<void> {
    if (this.soft.lead === 0) throw notLeader(0);
    return this.reads.barrier();
  }

  async changeMembership(change: ConfChange): Promise<void> {
    this.assertLeader();
    const [applied] = this.proposeAndWait(1, (node) => node.proposeConfChange(change));
    await applied;
  }

  transferLeadership(target: NodeId): void {
    this.assertLeader();
    this.driver.transferLeadership(target);
  }

  // RaftApplication: called by the driver once each Ready is durable.

  onSoftState(soft: SoftState): void {
    const previous = this.soft;
    this.soft = soft;
    this.observer.softState(soft, previous, this.node.status().term);
    if (previous.role === 'leader' && soft.role !== 'leader') {
      // Entries proposed here may still commit under the new leader; the client's retry, carrying
      // the same session sequence, then gets the recorded response instead of a second apply.
      this.pending.rejectAll(notLeader(soft.lead));
    }
  }

  restoreSnapshot(snapshot: Snapshot): void {
    this.deps.stateMachine.restore(snapshot.data);
    this.installed++;
    this.lastSnapshotBytes = snapshot.data.length;
    this.observer.snapshotRestored(snapshot.metadata.index, snapshot.data.length);
  }

  applyEntry(entry: Entry, confChange: AppliedConfChange | undefined): void {
    if (confChange) {
      this.deps.stateMachine.skip(entry.index);
      this.observer.membershipChanged(entry, confChange);
      this.pending.applied(entry.index, entry.term, undefined);
      return;
    }
    if (entry.data.length === 0) {
      // The empty entry a new leader appends: its index identifies the election.
      this.deps.stateMachine.skip(entry.index);
      this.observer.leaderElected(entry);
      this.pending.applied(entry.index, entry.term, undefined);
      return;
    }
    const result = this.deps.stateMachine.apply(entry.index, entry.data);
    this.observer.applied(entry, result);
    this.pending.applied(entry.index, entry.term, result);
  }

  onReadStates(readStates: readonly ReadState[]): void {
    const applied = this.node.status().applied;
    for (const state of readStates) this.reads.confirmed(state.context, state.index, applied);
  }

  afterAdvance(): void {
    const status = this.node.status();
    if (this.readyTarget === undefined && status.lead !== 0) this.readyTarget = status.commit;
    this.reads.applied(status.applied);
    this.maybeSnapshot(status.applied);
  }

  private maybeSnapshot(applied: number): void {
    const first = this.storage.firstIndex();
    if (applied - first + 1 < this.settings.snapshotEntries) return;
    const data = this.deps.stateMachine.snapshot();
    const compactTo = Math.max(first, applied - this.settings.snapshotKeep);
    this.storage.createSnapshot(applied, this.node.status().confState, data, compactTo);
    this.snapshots++;
    this.lastSnapshotBytes = data.length;
    this.observer.snapshotTaken(applied, data.length);
  }

  /**
   * A leader's appends leave before its own fsync, so the followers write in parallel with it
   * rather than after it (as etcd's leader does). The leader counts itself in every quorum at
   * append time. With the synchronous driver (the default) it cannot step a follower's
   * acknowledgement before the fsync below has returned. With `deferredSync` the fsync runs on the
   * thread pool and acknowledgements may be stepped meanwhile, but a commit only takes effect
   * through a later Ready (its committed entries, the commit index it sends), which AsyncRaftDriver
   * takes after this one is durable. Either way no entry is applied or reported committed before
   * the leader holds it durably, and votes and everything a follower sends leave only after
   * persisting.
   */
  private save(batch: SaveBatch): void | Promise<void> {
    const messages = (batch as Partial<Ready>).messages ?? [];
    if (this.settings.earlyAppends !== false && this.soft.role === 'leader' && messages.length > 0) {
      const appends = messages.filter((m) => m.type === 'app' && m.from === this.settings.id);
      if (appends.length > 0 && this.transport.sendNow(appends))
        for (const message of appends) this.sentEarly.add(message);
    }
    if (this.settings.deferredSync === false)
      return this.observer.timedSave(() => this.storage.save(batch), batch.mustSync);
    return this.observer.timedSave(() => this.storage.saveDeferringSync(batch), batch.mustSync);
  }

  private sendAfterPersist(messages: readonly Message[]): void {
    if (this.sentEarly.size === 0) return this.transport.send(messages);
    const rest = messages.filter((message) => !this.sentEarly.has(message));
    this.sentEarly.clear();
    if (rest.length > 0) this.transport.send(rest);
  }

  private deliver(messages: readonly Message[]): void {
    this.guarded(() =>
      this.driver.run((node) => {
        for (const message of messages) {
          try {
            node.step(message);
          } catch (error) {
            this.observer.refusedBatch((error as Error).message);
          }
        }
      }),
    );
  }

  private tick(): void {
    this.guarded(() => this.driver.tick());
  }

  /** Runs a driver input from a timer or a subscription, where a throw would have no one to catch it. */
  private guarded(input: () => void): void {
    if (this.failed) return;
    try {
      input();
    } catch (error) {
      if (!this.failed) throw error;
      this.reportFailure();
    }
  }

  private reportFailure(): void {
    const failed = this.failed;
    if (!failed || this.failureReported) return;
    this.failureReported = true;
    this.deps.onFailure?.(failed);
  }

  private expire(): void {
    const now = this.now();
    this.pending.expire(now);
    this.reads.expire();
  }

  private flushProposals(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      const waits = this.proposeAndWait(batch.length, (node) => node.proposeBatch(batch.map((p) => p.data)));
      waits.forEach((wait, i) =>
        wait.then((batch[i] as QueuedProposal).resolve, (batch[i] as QueuedProposal).reject),
      );
    } catch (error) {
      this.reportFailure();
      this.observer.proposalsDropped(batch.length);
      for (const proposal of batch) proposal.reject(error as Error);
    }
  }

  /**
   * Registers the waiters of `count` entries before proposing them: with one voter (or a fast
   * quorum inside the same Ready) the entries commit and apply before `propose` returns.
   */
  private proposeAndWait(
    count: number,
    propose: (node: RawNode) => { index: number; term: number },
  ): Promise<unknown>[] {
    const { lastIndex, term } = this.node.status();
    const first = lastIndex + 1;
    const now = this.now();
    const waits = Array.from({ length: count }, (_, i) => this.pending.wait(first + i, term, now));
    try {
      this.driver.run(propose);
    } catch (error) {
      for (let i = 0; i < count; i++) this.pending.cancel(first + i);
      throw translate(error);
    }
    return waits;
  }

  private assertLeader(): void {
    if (this.failed) throw new KailashError('UNAVAILABLE', 'replica stopped after a storage failure');
    if (this.soft.role !== 'leader') throw notLeader(this.soft.lead);
  }
}

export function notLeader(leaderHint: NodeId): KailashError {
  return new KailashError(
    'NOT_LEADER',
    leaderHint ? `not the leader; node ${leaderHint} leads` : 'not the leader; no leader known yet',
    { leaderHint, retryable: true },
  );
}

function translate(error: unknown): Error {
  if (error instanceof NotLeaderError) return notLeader(error.leaderHint);
  if (error instanceof BackpressureError)
    return new KailashError('RATE_LIMITED', error.message, { retryable: true });
  if (error instanceof ProposalDroppedError)
    return new KailashError('UNAVAILABLE', error.message, { retryable: true });
  if (error instanceof ConfChangeInProgressError) return new KailashError('CONFLICT', error.message);
  if (error instanceof InvalidConfChangeError) return new KailashError('PRECONDITION_FAILED', error.message);
  return error as Error;
}

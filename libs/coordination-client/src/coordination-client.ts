import type { RequestClient } from '@kailash/backbone';
import type { CoordClusterView, RequestDefinition } from '@kailash/contracts';
import {
  CoordAddLearner,
  CoordClusterStatus,
  CoordPromote,
  CoordRemoveMember,
  CoordTransferLeader,
  isKailashError,
} from '@kailash/contracts';
import type {
  KeyRange,
  KeyValue,
  LeaseView,
  SessionStamp,
  TxnCommand,
  WatchEvent,
} from '@kailash/coordination';
import type { z } from 'zod';
import {
  CoordCampaign,
  CoordCas,
  CoordDelete,
  CoordElectionLeader,
  CoordGet,
  CoordLeaseGrant,
  CoordLeaseInfo,
  CoordLeaseKeepAlive,
  CoordLeaseRevoke,
  CoordLockAcquire,
  CoordLockOwner,
  CoordLockRelease,
  CoordProclaim,
  CoordPut,
  CoordRange,
  CoordResign,
  CoordSessionClose,
  CoordSessionOpen,
  CoordTxn,
  CoordWatch,
  COORD_COMMANDS,
  leaderSubjectOf,
} from './requests';
import type { RetryPolicy } from './retry-policy';
import { DEFAULT_RETRY_POLICY, withRetries } from './retry-policy';
import { SessionNumbering } from './session';

export type Consistency = 'linearizable' | 'serializable';

export interface CoordinationClientOptions {
  /** TTL of the client's session lease (kept alive every third of it). Default 30 s. */
  readonly sessionTtlMs?: number;
  /** Holder name on the session and on leases it grants, for views and events. */
  readonly holder?: string;
  readonly retry?: Partial<RetryPolicy>;
  /** Told about every retried attempt (metrics, logs). */
  readonly onRetry?: (operation: string, error: unknown) => void;
  /**
   * Send commands to the leader's own subject first (default true), and to any replica only while no
   * replica serves it; false sends every request to the any-replica subjects.
   */
  readonly leaderDirect?: boolean;
}

/** The commands the leader serves on its own subjects (the admin ones go through any replica). */
const LEADER_SERVED: ReadonlySet<RequestDefinition> = new Set<RequestDefinition>(COORD_COMMANDS);

export interface WatchOptions {
  /** First revision to deliver (default: the next change after the watch starts). */
  readonly fromRevision?: number;
  /** Long-poll window of each request (default 10 s). */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

type Data<D extends RequestDefinition> = z.input<D['data']>;
type Result<D extends RequestDefinition> = z.output<D['result']>;
type WithoutSession<D extends RequestDefinition> = Omit<Data<D>, 'session'>;

/**
 * The coordination group as a client sees it: one object for the whole group. Commands go to the
 * leader's own subject (`<ns>.coord.cmd.at-leader.<op>`, which only the leader subscribes to); when
 * no replica serves it (NATS answers "no responders" at once: an election, the leader just died, or
 * replicas without it) the same attempt goes to the group's subjects, where any replica answers and
 * forwards writes to the leader. While there is no leader the client retries with short backoff.
 *
 * Writes are exactly-once: the client opens a session (a lease the group keeps while this client
 * keeps it alive) and stamps every write with the session's next sequence number, the same on every
 * retry. If the session itself ended (the client was cut off longer than its TTL), a new one is
 * opened and the write retried under it; that one write is then at-least-once.
 */
export class CoordinationClient {
  private readonly policy: RetryPolicy;
  private session: Promise<SessionNumbering> | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly leaseKeepers = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly requests: RequestClient,
    private readonly options: CoordinationClientOptions = {},
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  // KV

  put(key: string, value: string, options: Omit<WithoutSession<typeof CoordPut>, 'key' | 'value'> = {}) {
    return this.write(CoordPut, { key, value, ...options });
  }

  /** Deletes a key, or a range (`{prefix}` / `{from, to}`). */
  delete(keys: string | KeyRange, options: { prevKv?: boolean; fence?: { lease: number } } = {}) {
    return this.write(CoordDelete, { range: typeof keys === 'string' ? { key: keys } : keys, ...options });
  }

  /** etcd's Txn: if every compare holds, the `success` operations, else the `failure` ones, atomically. */
  txn(request: Omit<TxnCommand, 'op'>) {
    return this.write(CoordTxn, request);
  }

  /** Puts only if the key's mod revision (0: absent) and/or value are as expected. */
  cas(request: WithoutSession<typeof CoordCas>) {
    return this.write(CoordCas, request);
  }

  /** Sets `key` to `value` only if its value is `expected` (`null`: only if it does not exist). */
  async compareAndSet(key: string, expected: string | null, value: string): Promise<boolean> {
    const result = await this.cas(
      expected === null ? { key, value, expectedModRevision: 0 } : { key, value, expectedValue: expected },
    );
    return result.succeeded;
  }

  async get(key: string, consistency: Consistency = 'linearizable'): Promise<KeyValue | null> {
    return (await this.read(CoordGet, { key, consistency })).kv;
  }

  getWithRevision(key: string, consistency: Consistency = 'linearizable') {
    return this.read(CoordGet, { key, consistency });
  }

  range(keys: KeyRange, options: { limit?: number; keysOnly?: boolean; consistency?: Consistency } = {}) {
    return this.read(CoordRange, { range: keys, ...options });
  }

  /**
   * Changes of a key or range as an async stream, from `fromRevision` on. It survives replica
   * failures and reconnects: each long poll asks for what follows the last revision delivered.
   * Throws if the history it needs was compacted (re-read, then watch from the read's revision).
   */
  async *watch(keys: string | KeyRange, options: WatchOptions = {}): AsyncGenerator<WatchEvent> {
    const range = typeof keys === 'string' ? { key: keys } : keys;
    let from = options.fromRevision ?? (await this.read(CoordRange, { range, countOnly: true })).revision + 1;
    const waitMs = options.pollMs ?? 10_000;
    while (!options.signal?.aborted) {
      const result = await this.read(
        CoordWatch,
        { range, fromRevision: from, waitMs },
        waitMs + this.policy.attemptTimeoutMs,
      );
      if (result.compacted)
        throw new Error(
          `watch from revision ${from}: history compacted up to ${result.compactRevision ?? 0}`,
        );
      for (const event of result.events) {
        if (event.revision < from) continue;
        yield event;
        from = event.revision + 1;
      }
      if (result.events.length === 0) from = Math.max(from, result.revision + 1);
    }
  }

  // Leases

  async grantLease(ttlMs: number): Promise<LeaseView> {
    return (await this.write(CoordLeaseGrant, { ttlMs, ...this.holder() })).lease;
  }

  async keepLeaseAlive(id: number): Promise<LeaseView> {
    return (await this.write(CoordLeaseKeepAlive, { id })).lease;
  }

  /** Keeps a lease alive every third of its TTL until the returned function is called. */
  keepAliveInBackground(lease: LeaseView, onLost?: (error: unknown) => void): () => void {
    const timer = setInterval(
      () => {
        this.keepLeaseAlive(lease.id).catch((error: unknown) => {
          stop();
          onLost?.(error);
        });
      },
      Math.max(100, Math.floor(lease.ttlMs / 3)),
    );
    timer.unref();
    this.leaseKeepers.set(lease.id, timer);
    const stop = () => {
      clearInterval(timer);
      this.leaseKeepers.delete(lease.id);
    };
    return stop;
  }

  revokeLease(id: number) {
    clearInterval(this.leaseKeepers.get(id));
    this.leaseKeepers.delete(id);
    return this.write(CoordLeaseRevoke, { id });
  }

  leaseInfo(id: number, consistency: Consistency = 'linearizable') {
    return this.read(CoordLeaseInfo, { id, consistency });
  }

  // Locks and elections

  /** Queues `lease` for the lock; `acquired` says whether it owns it now (token = fencing token). */
  lock(name: string, lease: number) {
    return this.write(CoordLockAcquire, { name, lease });
  }

  unlock(name: string, lease: number) {
    return this.write(CoordLockRelease, { name, lease });
  }

  lockOwner(name: string, consistency: Consistency = 'linearizable') {
    return this.read(CoordLockOwner, { name, consistency });
  }

  campaign(name: string, lease: number, value: string) {
    return this.write(CoordCampaign, { name, lease, value });
  }

  proclaim(name: string, lease: number, value: string) {
    return this.write(CoordProclaim, { name, lease, value });
  }

  resign(name: string, lease: number) {
    return this.write(CoordResign, { name, lease });
  }

  /** The election's leader, term and whether its lease is live (`get_leader`). */
  leader(name: string, consistency: Consistency = 'linearizable') {
    return this.read(CoordElectionLeader, { name, consistency });
  }

  // The group

  cluster(): Promise<CoordClusterView> {
    return this.read(CoordClusterStatus, {});
  }

  addLearner(nodeId: number) {
    return this.admin(CoordAddLearner, nodeId);
  }

  promote(nodeId: number) {
    return this.admin(CoordPromote, nodeId);
  }

  removeMember(nodeId: number) {
    return this.admin(CoordRemoveMember, nodeId);
  }

  transferLeadership(nodeId: number) {
    return this.admin(CoordTransferLeader, nodeId);
  }

  /** Stops keep-alives and closes the session (its cached answers are dropped by the group). */
  async close(): Promise<void> {
    for (const timer of this.leaseKeepers.values()) clearInterval(timer);
    this.leaseKeepers.clear();
    clearInterval(this.keepAlive);
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    const numbering = await session.catch(() => undefined);
    if (numbering)
      await this.attempt(CoordSessionClose, { clientId: numbering.clientId }).catch(() => undefined);
  }

  /** The session's client id (opening the session if needed). */
  async clientId(): Promise<number> {
    return (await this.openSession()).clientId;
  }

  private holder(): { holder?: string } {
    return this.options.holder ? { holder: this.options.holder } : {};
  }

  private openSession(): Promise<SessionNumbering> {
    this.session ??= this.attempt(CoordSessionOpen, {
      ttlMs: this.options.sessionTtlMs ?? 30_000,
      ...this.holder(),
    }).then(
      (opened) => {
        const numbering = new SessionNumbering(opened.clientId);
        this.keepSessionAlive(opened.clientId, opened.lease.ttlMs);
        return numbering;
      },
      (error: unknown) => {
        this.session = undefined;
        throw error;
      },
    );
    return this.session;
  }

  private keepSessionAlive(clientId: number, ttlMs: number): void {
    clearInterval(this.keepAlive);
    this.keepAlive = setInterval(
      () => {
        this.attempt(CoordLeaseKeepAlive, { id: clientId }).catch(() => this.forgetSession(clientId));
      },
      Math.max(100, Math.floor(ttlMs / 3)),
    );
    this.keepAlive.unref();
  }

  private forgetSession(clientId: number): void {
    void this.session?.then((numbering) => {
      if (numbering.clientId !== clientId) return;
      clearInterval(this.keepAlive);
      this.session = undefined;
    });
  }

  private async write<D extends RequestDefinition>(
    definition: D,
    data: WithoutSession<D>,
  ): Promise<Result<D>> {
    for (let sessions = 0; ; sessions++) {
      const numbering = await this.openSession();
      const write = numbering.begin();
      const stamp: SessionStamp = write.stamp();
      try {
        return await this.attempt(definition, { ...data, session: stamp } as Data<D>);
      } catch (error) {
        if (sessions > 0 || !isSessionGone(error)) throw error;
        this.forgetSession(numbering.clientId);
      } finally {
        write.done();
      }
    }
  }

  private read<D extends RequestDefinition>(definition: D, data: Data<D>, attemptTimeoutMs?: number) {
    return this.attempt(definition, data, attemptTimeoutMs);
  }

  private admin<D extends RequestDefinition>(definition: D, nodeId: number): Promise<Result<D>> {
    return this.attempt(definition, { nodeId } as Data<D>, 10_000);
  }

  private attempt<D extends RequestDefinition>(
    definition: D,
    data: Data<D>,
    attemptTimeoutMs?: number,
  ): Promise<Result<D>> {
    const policy = attemptTimeoutMs
      ? {
          ...this.policy,
          attemptTimeoutMs,
          deadlineMs: Math.max(this.policy.deadlineMs, attemptTimeoutMs * 2),
        }
      : this.policy;
    return withRetries(
      policy,
      (timeoutMs) => this.sendOnce(definition, data, timeoutMs),
      (error) => this.options.onRetry?.(definition.name, error),
    );
  }

  private async sendOnce<D extends RequestDefinition>(
    definition: D,
    data: Data<D>,
    timeoutMs: number,
  ): Promise<Result<D>> {
    if (this.options.leaderDirect === false || !LEADER_SERVED.has(definition))
      return this.requests.send(definition, data, { timeoutMs });
    const subject = leaderSubjectOf(this.requests.subjectOf(definition), definition);
    try {
      return await this.requests.sendTo(subject, definition, data, { timeoutMs });
    } catch (error) {
      if (!isNoResponders(error)) throw error;
      return this.requests.send(definition, data, { timeoutMs });
    }
  }
}

/** NATS's immediate answer to a request on a subject nobody subscribes to. */
function isNoResponders(error: unknown): boolean {
  const check = (error as { isNoResponders?: () => boolean } | undefined)?.isNoResponders;
  return typeof check === 'function' && check.call(error) === true;
}

function isSessionGone(error: unknown): boolean {
  return (
    isKailashError(error) &&
    (error.details as { reason?: string } | undefined)?.reason === 'session-not-found'
  );
}

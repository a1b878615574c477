import { liveGrant } from '@kailash/leasing';
import type { ElectionLeader, Fact, KeyValue, LockOwner, WatchEvent } from './responses';
import type { CoordinationState, LeaseRecord, StoredKey } from './state';
import {
  ELECTION_PREFIX,
  LOCK_PREFIX,
  electionLeader,
  keyValueOf,
  leaseViewOf,
  lockOwner,
  waiters,
} from './queries';
import { leaseNotFound, leaseRefused, Refused } from './refusals';

/**
 * One entry being applied: the write primitives every command uses, so that all writes of the entry
 * share one revision, every change becomes a watch event, and locks and elections whose keys changed
 * are settled (owner and leader facts) before the entry's answer is built.
 */
export class Entry {
  readonly events: WatchEvent[] = [];
  readonly facts: Fact[] = [];
  /** The revision this entry's writes get; the store's revision moves to it only if one happens. */
  private readonly writeRevision: number;
  private wrote = false;
  private readonly lockBefore = new Map<string, LockOwner | undefined>();
  private readonly electionBefore = new Map<string, ElectionLeader | undefined>();

  constructor(
    readonly state: CoordinationState,
    readonly index: number,
    readonly now: number,
  ) {
    this.writeRevision = state.revision + 1;
  }

  /** The store's revision as a reply reports it: after this entry's writes so far. */
  get revision(): number {
    return this.wrote ? this.writeRevision : this.state.revision;
  }

  put(key: string, value: string, lease: number): KeyValue | undefined {
    this.beforeWrite(key);
    const previous = this.state.keys.get(key);
    const revision = this.markWrite();
    const stored: StoredKey = {
      value,
      createRevision: previous?.createRevision ?? revision,
      modRevision: revision,
      version: (previous?.version ?? 0) + 1,
      lease,
    };
    if (previous && previous.lease !== lease) this.state.leases.get(previous.lease)?.keys.delete(key);
    if (lease !== 0) this.state.leases.get(lease)?.keys.add(key);
    this.state.keys.set(key, stored);
    const prevKv = previous && keyValueOf(key, previous);
    this.events.push({ type: 'PUT', revision, kv: keyValueOf(key, stored), ...(prevKv ? { prevKv } : {}) });
    return prevKv;
  }

  /** Deletes `key` if it exists; returns it as it was. */
  delete(key: string): KeyValue | undefined {
    const previous = this.state.keys.get(key);
    if (!previous) return undefined;
    this.beforeWrite(key);
    const revision = this.markWrite();
    if (previous.lease !== 0) this.state.leases.get(previous.lease)?.keys.delete(key);
    this.state.keys.delete(key);
    const prevKv = keyValueOf(key, previous);
    const tombstone = { key, value: '', createRevision: 0, modRevision: revision, version: 0, lease: 0 };
    this.events.push({ type: 'DELETE', revision, kv: tombstone, prevKv });
    return prevKv;
  }

  /** The lease, if it exists and is live at this entry's time; else the refusal to answer. */
  liveLease(id: number): LeaseRecord | Refused {
    const lease = this.state.leases.get(id);
    if (!lease) return leaseNotFound(id);
    if (liveGrant(lease.rules, this.now)) return lease;
    const expiresAt = lease.rules.status === 'held' ? lease.rules.grant.expiresAt : lease.grantedAt;
    return leaseRefused({ reason: 'expired', expiresAt }, id);
  }

  /**
   * Facts for every lock and election whose keys this entry changed: a new owner or leader (and the
   * one it replaced). Idempotent; called before an answer that reports an owner, and at the end.
   */
  settle(): void {
    for (const [name, before] of this.lockBefore) this.settleLock(name, before);
    this.lockBefore.clear();
    for (const [name, before] of this.electionBefore) this.settleElection(name, before);
    this.electionBefore.clear();
  }

  /** Moves the store to this entry's revision if it wrote. */
  finish(): void {
    this.settle();
    if (this.wrote) this.state.revision = this.writeRevision;
  }

  private markWrite(): number {
    this.wrote = true;
    return this.writeRevision;
  }

  private beforeWrite(key: string): void {
    if (key.startsWith(LOCK_PREFIX)) {
      const name = nameOf(key, LOCK_PREFIX);
      if (!this.lockBefore.has(name)) this.lockBefore.set(name, lockOwner(this.state, name));
    } else if (key.startsWith(ELECTION_PREFIX)) {
      const name = nameOf(key, ELECTION_PREFIX);
      if (!this.electionBefore.has(name)) this.electionBefore.set(name, electionLeader(this.state, name));
    }
  }

  private settleLock(name: string, before: LockOwner | undefined): void {
    const after = lockOwner(this.state, name);
    if (before?.key === after?.key && before?.token === after?.token) return;
    if (before) this.facts.push({ type: 'lock.released', owner: before });
    if (after) this.facts.push({ type: 'lock.acquired', owner: after });
  }

  private settleElection(name: string, before: ElectionLeader | undefined): void {
    const first = waiters(this.state, `${ELECTION_PREFIX}${name}/`)[0];
    const record = this.state.elections.get(name) ?? { term: 0, leaderKey: undefined, since: 0 };
    const sameHolder =
      before && first && before.key === first.key && before.createRevision === first.createRevision;
    if (!sameHolder) {
      record.leaderKey = first?.key;
      if (first) {
        record.term += 1;
        record.since = this.now;
      }
    }
    this.state.elections.set(name, record);
    const after = electionLeader(this.state, name);
    if (after && (!sameHolder || after.value !== before?.value))
      this.facts.push({ type: 'election.leader', leader: after });
    if (!after && before) this.facts.push({ type: 'election.vacant', name, term: record.term });
  }

  /** Ends a lease: its keys deleted (in key order), its session closed, a fact recorded. */
  endLease(lease: LeaseRecord, how: 'lease.revoked' | 'lease.expired'): number {
    const keys = [...lease.keys].sort();
    for (const key of keys) this.delete(key);
    this.state.leases.delete(lease.id);
    this.facts.push({ type: how, lease: leaseViewOf(lease), deletedKeys: keys.length });
    if (this.state.sessions.delete(lease.id)) this.facts.push({ type: 'session.closed', clientId: lease.id });
    return keys.length;
  }
}

const nameOf = (key: string, prefix: string): string =>
  key.slice(prefix.length, key.indexOf('/', prefix.length));

export const isRefused = (value: unknown): value is Refused => value instanceof Refused;

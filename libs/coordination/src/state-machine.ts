import type { Command, CommandOp, Proposal, SessionStamp } from './commands';
import { decodeProposal } from './codec';
import { Entry } from './entry';
import { cas, compact, deleteRange, dropHistoryBefore, put, rangeRead, txn } from './kv-commands';
import {
  closeSession,
  expireLeases,
  grant,
  keepAlive,
  openSession,
  revoke,
  sessionNotFound,
} from './lease-commands';
import { acquireLock, campaign, proclaim, releaseLock, resign } from './lock-commands';
import { refusal, Refused } from './refusals';
import type { CoordError, Fact, Response, WatchEvent } from './responses';
import { snapshotOf, stateOf } from './snapshot';
import type { CoordinationState, ReadonlyCoordinationState, SessionRecord } from './state';
import { emptyState } from './state';

/** Options every replica of a group must share: they decide what is applied. */
export interface StateMachineOptions {
  /** Change events kept for watches to resume from; older revisions are compacted. Default 10,000. */
  readonly historyLimit?: number;
  /** Responses a session keeps for retries before the oldest are forgotten. Default 1,024. */
  readonly sessionResponseLimit?: number;
  /** Called after each applied entry, in log order (watch streams and the fact publisher listen here). */
  readonly onApplied?: (applied: Applied) => void;
}

/** An entry that was not a proposal of this state machine (refused the same way on every replica). */
export interface InvalidEntryResponse {
  readonly ok: false;
  readonly op: 'invalid';
  readonly revision: number;
  readonly error: CoordError;
}

/** What applying one entry did. */
export interface Applied {
  readonly index: number;
  readonly response: Response | InvalidEntryResponse;
  /** The changes, in order (empty for a refusal, a read or a duplicate). */
  readonly events: readonly WatchEvent[];
  /** Facts to publish once (empty for a duplicate). */
  readonly facts: readonly Fact[];
  /** A retried session proposal answered from the cache, not applied again. */
  readonly duplicate: boolean;
  /** The session the proposal was stamped with, so the service can route the answer. */
  readonly session?: SessionStamp;
}

export const DEFAULT_HISTORY_LIMIT = 10_000;
export const DEFAULT_SESSION_RESPONSE_LIMIT = 1_024;

/**
 * The replicated state machine of the coordination service: a KV store with etcd's revisions and
 * transactions, watch history, leases (on @kailash/leasing), locks, elections and client sessions.
 * Deterministic: each replica applies the same committed entries in the same order and reaches the
 * same state, byte for byte (`snapshot()`); it reads no clock (time is the proposal's leader time)
 * and does no I/O. A client's mistake is an answer (`ok: false`), never a throw; a throw is a bug of
 * the caller (an index applied out of order, a snapshot that is not one).
 */
export class CoordinationStateMachine {
  private current: CoordinationState = emptyState();
  private readonly historyLimit: number;
  private readonly sessionResponseLimit: number;

  constructor(private readonly options: StateMachineOptions = {}) {
    this.historyLimit = positive(options.historyLimit ?? DEFAULT_HISTORY_LIMIT, 'historyLimit');
    this.sessionResponseLimit = positive(
      options.sessionResponseLimit ?? DEFAULT_SESSION_RESPONSE_LIMIT,
      'sessionResponseLimit',
    );
  }

  /** A machine whose state is `snapshot`'s. */
  static fromSnapshot(snapshot: Uint8Array, options: StateMachineOptions = {}): CoordinationStateMachine {
    const machine = new CoordinationStateMachine(options);
    machine.restore(snapshot);
    return machine;
  }

  /** For the read queries (`get`, `range`, `leaseInfo`, `electionLeader`, `watchHistory`, …). */
  get state(): ReadonlyCoordinationState {
    return this.current;
  }

  get appliedIndex(): number {
    return this.current.appliedIndex;
  }

  get revision(): number {
    return this.current.revision;
  }

  /** Applies a committed entry's payload (as `encodeProposal` made it). */
  applyEntry(index: number, data: Uint8Array): Applied {
    const decoded = decodeProposal(data);
    if (decoded.ok) return this.apply(index, decoded.proposal);
    this.advanceTo(index);
    const response: InvalidEntryResponse = {
      ok: false,
      op: 'invalid',
      revision: this.current.revision,
      error: decoded.error,
    };
    return this.emit({ index, response, events: [], facts: [], duplicate: false });
  }

  /** Applies one validated proposal at Raft index `index` (greater than every index before). */
  apply(index: number, proposal: Proposal): Applied {
    this.advanceTo(index);
    const state = this.current;
    state.now = Math.max(state.now, proposal.now);
    const stamp = proposal.session;
    const session =
      stamp && proposal.command.op !== 'session.open' ? state.sessions.get(stamp.clientId) : undefined;
    if (stamp && proposal.command.op !== 'session.open') {
      const early = session ? this.answerFromSession(session, stamp) : sessionNotFound(stamp.clientId);
      if (early) return this.emit(this.earlyAnswer(index, proposal.command.op, early, stamp));
    }
    const entry = new Entry(state, index, state.now);
    const outcome = execute(entry, proposal.command, stamp?.clientId);
    entry.finish();
    const response = toResponse(proposal.command.op, entry.revision, outcome);
    this.appendHistory(entry);
    if (session && stamp && state.sessions.has(session.clientId)) this.remember(session, stamp, response);
    return this.emit({
      index,
      response,
      events: entry.events,
      facts: entry.facts,
      duplicate: false,
      ...(stamp ? { session: stamp } : {}),
    });
  }

  /** An entry with nothing for the state machine (a leader's empty entry, a membership change). */
  skip(index: number): void {
    this.advanceTo(index);
  }

  /** The whole state, deterministic: equal states give equal bytes. */
  snapshot(): Uint8Array {
    return snapshotOf(this.current);
  }

  /** Replaces the whole state with a snapshot's. */
  restore(snapshot: Uint8Array): void {
    this.current = stateOf(snapshot);
  }

  private advanceTo(index: number): void {
    if (!Number.isSafeInteger(index) || index <= this.current.appliedIndex) {
      throw new RangeError(
        `entry ${index} applied out of order: the last applied is ${this.current.appliedIndex}`,
      );
    }
    this.current.appliedIndex = index;
  }

  /** A cached response for a retry, or the refusal of a forgotten sequence; undefined: apply it. */
  private answerFromSession(session: SessionRecord, stamp: SessionStamp): Response | Refused | undefined {
    const ack = Math.min(stamp.ack ?? 0, stamp.seq);
    if (ack > session.floor) forgetBelow(session, ack);
    const cached = session.responses.get(stamp.seq);
    if (cached) return cached;
    if (stamp.seq < session.floor) {
      return refusal(
        'CONFLICT',
        'stale-sequence',
        `session ${session.clientId}: proposal ${stamp.seq} is older than the oldest remembered (${session.floor})`,
        { clientId: session.clientId, seq: stamp.seq, floor: session.floor },
      );
    }
    return undefined;
  }

  private earlyAnswer(
    index: number,
    op: CommandOp,
    answer: Response | Refused,
    stamp: SessionStamp,
  ): Applied {
    const duplicate = !(answer instanceof Refused);
    const response = duplicate ? answer : toResponse(op, this.current.revision, answer);
    return { index, response, events: [], facts: [], duplicate, session: stamp };
  }

  private remember(session: SessionRecord, stamp: SessionStamp, response: Response): void {
    session.responses.set(stamp.seq, response);
    if (session.responses.size <= this.sessionResponseLimit) return;
    const seqs = [...session.responses.keys()].sort((a, b) => a - b);
    const keep = seqs[seqs.length - this.sessionResponseLimit] as number;
    forgetBelow(session, keep);
  }

  /** Appends the entry's changes; past the limit, whole revisions are dropped from the front. */
  private appendHistory(entry: Entry): void {
    const { history } = this.current;
    for (const event of entry.events) history.push(event);
    // Trimmed in chunks of a quarter of the limit, so the cost is amortised over many entries.
    if (history.length <= this.historyLimit + (this.historyLimit >>> 2)) return;
    const oldestKept = history[history.length - this.historyLimit] as WatchEvent;
    const boundary = history[Math.max(0, history.length - this.historyLimit - 1)] as WatchEvent;
    const cutRevision =
      boundary.revision === oldestKept.revision ? oldestKept.revision + 1 : oldestKept.revision;
    dropHistoryBefore(entry, cutRevision);
  }

  private emit(applied: Applied): Applied {
    this.options.onApplied?.(applied);
    return applied;
  }
}

type Outcome = Record<string, unknown> | Refused;

function execute(entry: Entry, command: Command, client: number | undefined): Outcome {
  switch (command.op) {
    case 'put':
      return put(entry, command);
    case 'delete':
      return deleteRange(entry, command);
    case 'range':
      return rangeRead(entry, command);
    case 'txn':
      return txn(entry, command);
    case 'cas':
      return cas(entry, command);
    case 'compact':
      return compact(entry, command);
    case 'lease.grant':
      return grant(entry, command, client);
    case 'lease.keepalive':
      return keepAlive(entry, command);
    case 'lease.revoke':
      return revoke(entry, command);
    case 'lease.expire':
      return expireLeases(entry, command);
    case 'lock.acquire':
      return acquireLock(entry, command);
    case 'lock.release':
      return releaseLock(entry, command);
    case 'election.campaign':
      return campaign(entry, command);
    case 'election.proclaim':
      return proclaim(entry, command);
    case 'election.resign':
      return resign(entry, command);
    case 'session.open':
      return openSession(entry, command);
    case 'session.close':
      return closeSession(entry, command);
  }
}

function toResponse(op: CommandOp, revision: number, outcome: Outcome): Response {
  if (outcome instanceof Refused) return { ok: false, op, revision, error: outcome.error } as Response;
  return { ok: true, op, revision, ...outcome } as Response;
}

function forgetBelow(session: SessionRecord, floor: number): void {
  for (const seq of [...session.responses.keys()]) if (seq < floor) session.responses.delete(seq);
  session.floor = Math.max(session.floor, floor);
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

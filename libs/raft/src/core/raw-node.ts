import type { RaftStorage } from '../storage/storage';
import { isHardStateEqual } from '../storage/storage';
import { resolveConfig, type RaftConfig } from './config';
import { encodeConfChange } from './conf-change';
import { InvalidMessageError } from './errors';
import { Raft } from './raft';
import type { ProgressState } from './progress';
import {
  LOCAL_MESSAGE_TYPES,
  type ConfChange,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type ReadState,
  type Snapshot,
  type SoftState,
  type StateRole,
} from './types';

/**
 * One batch of work for the application. Handle it in this order:
 * 1. persist `snapshot`, `entries` and `hardState` (fsync when `mustSync`);
 * 2. send `messages`;
 * 3. apply `snapshot` then `committedEntries` to the state machine (conf changes via applyConfChange);
 * 4. serve reads whose ReadState.index <= applied;
 * 5. call advance(ready).
 */
export interface Ready {
  readonly softState?: SoftState;
  readonly hardState?: HardState;
  readonly readStates: readonly ReadState[];
  readonly entries: readonly Entry[];
  readonly snapshot?: Snapshot;
  readonly committedEntries: readonly Entry[];
  readonly messages: readonly Message[];
  readonly mustSync: boolean;
}

export interface ProgressStatus {
  readonly match: number;
  readonly next: number;
  readonly state: ProgressState;
  readonly isLearner: boolean;
}

export interface Status {
  readonly id: NodeId;
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
  readonly applied: number;
  readonly lastIndex: number;
  readonly lead: NodeId;
  readonly role: StateRole;
  readonly leadTransferee: NodeId;
  readonly confState: ConfState;
}

/** The application-facing handle on one Raft node (etcd's RawNode); single-threaded, no I/O. */
export class RawNode {
  private prevSoftState: SoftState;
  private prevHardState: HardState;

  constructor(config: RaftConfig, storage: RaftStorage) {
    this.raft = new Raft(resolveConfig(config), storage);
    this.prevSoftState = this.raft.softState();
    this.prevHardState = this.raft.hardState();
  }

  private readonly raft: Raft;

  /** For fault-injection tests that substitute a deliberately altered core. */
  static fromCore(raft: Raft): RawNode {
    const node = Object.create(RawNode.prototype) as RawNode;
    Object.assign(node, { raft, prevSoftState: raft.softState(), prevHardState: raft.hardState() });
    return node;
  }

  tick(): void {
    this.raft.tick();
  }

  /** Starts an election now (pre-vote first when enabled). */
  campaign(): void {
    this.raft.step({ type: 'hup', from: this.raft.id, to: this.raft.id, term: 0 });
  }

  /**
   * Proposes a command. Returns where it will sit in the log if it commits; it may still be lost
   * if leadership changes, so callers wait for it in committedEntries.
   * Throws NotLeaderError (with leaderHint), BackpressureError or ProposalDroppedError.
   */
  propose(data: Uint8Array): { index: number; term: number } {
    return this.raft.propose([{ type: 'normal', data }]);
  }

  proposeBatch(commands: readonly Uint8Array[]): { index: number; term: number } {
    return this.raft.propose(commands.map((data) => ({ type: 'normal' as const, data })));
  }

  /** Throws ConfChangeInProgressError while an earlier change is unapplied. */
  proposeConfChange(change: ConfChange): { index: number; term: number } {
    return this.raft.propose([{ type: 'conf-change', data: encodeConfChange(change) }]);
  }

  applyConfChange(change: ConfChange): ConfState {
    return this.raft.applyConfChange(change);
  }

  /** Delivers a message from a peer. Local-only message types are refused. */
  step(message: Message): void {
    if (LOCAL_MESSAGE_TYPES.has(message.type)) {
      throw new InvalidMessageError(`${message.type} is local and cannot arrive from the network`);
    }
    this.raft.step(message);
  }

  /** Requests a linearizable read point; the answer arrives as a ReadState with this context. */
  readIndex(context: string): void {
    this.raft.readIndex(context);
  }

  transferLeadership(target: NodeId): void {
    this.raft.transferLeadership(target);
  }

  reportUnreachable(id: NodeId): void {
    this.raft.reportUnreachable(id);
  }

  hasReady(): boolean {
    const raft = this.raft;
    return (
      raft.msgs.length > 0 ||
      raft.readStates.length > 0 ||
      raft.log.unstable.entries.length > 0 ||
      raft.log.unstable.snapshot !== undefined ||
      raft.log.hasNextCommittedEntries() ||
      !isHardStateEqual(raft.hardState(), this.prevHardState) ||
      !isSoftStateEqual(raft.softState(), this.prevSoftState)
    );
  }

  /** Collects pending work. Call advance(ready) before asking for the next one. */
  ready(): Ready {
    const raft = this.raft;
    const softState = raft.softState();
    const hardState = raft.hardState();
    const entries = raft.log.unstableEntries();
    const snapshot = raft.log.unstable.snapshot;
    const hardStateChanged = !isHardStateEqual(hardState, this.prevHardState);
    const ready: Ready = {
      ...(isSoftStateEqual(softState, this.prevSoftState) ? {} : { softState }),
      ...(hardStateChanged ? { hardState } : {}),
      ...(snapshot ? { snapshot } : {}),
      readStates: raft.readStates,
      entries,
      committedEntries: raft.log.nextCommittedEntries(),
      messages: raft.msgs,
      mustSync:
        entries.length > 0 ||
        snapshot !== undefined ||
        hardState.term !== this.prevHardState.term ||
        hardState.vote !== this.prevHardState.vote,
    };
    raft.msgs = [];
    raft.readStates = [];
    this.prevSoftState = softState;
    this.prevHardState = hardState;
    return ready;
  }

  /** The application has persisted and applied everything in `ready`. */
  advance(ready: Ready): void {
    const raft = this.raft;
    if (ready.snapshot) {
      raft.log.stableSnapTo(ready.snapshot.metadata.index);
      raft.log.appliedTo(ready.snapshot.metadata.index);
    }
    const lastEntry = ready.entries[ready.entries.length - 1];
    if (lastEntry) raft.log.stableTo(lastEntry.index, lastEntry.term);
    const lastCommitted = ready.committedEntries[ready.committedEntries.length - 1];
    if (lastCommitted) {
      raft.log.appliedTo(lastCommitted.index);
      if (raft.role === 'leader') raft.reduceUncommittedSize(ready.committedEntries);
    }
  }

  /** Term of the entry at index in this node's log, or undefined if compacted or absent. */
  logTermAt(index: number): number | undefined {
    const log = this.raft.log;
    if (index < log.firstIndex() - 1 || index > log.lastIndex()) return undefined;
    return log.termOrZero(index);
  }

  /** First index still in the log (entries before it live only in the snapshot). */
  firstIndex(): number {
    return this.raft.log.firstIndex();
  }

  status(): Status {
    const raft = this.raft;
    return {
      id: raft.id,
      term: raft.term,
      vote: raft.vote,
      commit: raft.log.committed,
      applied: raft.log.applied,
      lastIndex: raft.log.lastIndex(),
      lead: raft.lead,
      role: raft.role,
      leadTransferee: raft.leadTransferee,
      confState: raft.tracker.confState(),
    };
  }

  /** Replication progress of every member; undefined unless this node leads. */
  progress(): ReadonlyMap<NodeId, ProgressStatus> | undefined {
    const raft = this.raft;
    if (raft.role !== 'leader') return undefined;
    const progress = new Map<NodeId, ProgressStatus>();
    for (const [id, p] of raft.tracker.progress) {
      progress.set(id, { match: p.match, next: p.next, state: p.state, isLearner: p.isLearner });
    }
    return progress;
  }
}

function isSoftStateEqual(a: SoftState, b: SoftState): boolean {
  return a.lead === b.lead && a.role === b.role;
}

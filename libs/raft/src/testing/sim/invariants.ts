import type { Entry, HardState, NodeId } from '../../core/types';
import { fnv1a } from './kv-state-machine';

/** A safety property of Raft (paper Figure 3) or of durability was broken. */
export class InvariantViolation extends Error {
  constructor(
    readonly invariant: string,
    detail: string,
  ) {
    super(`${invariant}: ${detail}`);
    this.name = 'InvariantViolation';
  }
}

interface LoggedEntry {
  readonly dataHash: number;
  readonly prevTerm: number | undefined;
}

/** What the checker needs to know about one node's durable log. */
export interface DurableLogView {
  termAt(index: number): number | undefined;
  snapshotIndex(): number;
}

/**
 * Checks Raft's safety properties incrementally, from what nodes persist and apply, so the
 * simulator can afford to check after every single event.
 */
export class SafetyChecker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly logged = new Map<string, LoggedEntry>();
  private readonly appliedHash: number[] = [];
  private readonly committedTerm: number[] = [];
  private readonly lastApplied = new Map<NodeId, number>();
  private readonly durableHardState = new Map<NodeId, HardState>();
  maxCommitted = 0;

  /** Election safety: at most one leader per term. */
  onLeader(node: NodeId, term: number): void {
    const existing = this.leaderOfTerm.get(term);
    if (existing !== undefined && existing !== node) {
      throw new InvariantViolation('election safety', `nodes ${existing} and ${node} both lead term ${term}`);
    }
    this.leaderOfTerm.set(term, node);
  }

  /**
   * Called before a node persists `entries`. Leader append-only: a leader never overwrites its log.
   * Log matching: one (index, term) always names the same command and the same predecessor term.
   */
  beforePersist(
    node: NodeId,
    isLeader: boolean,
    entries: readonly Entry[],
    durable: DurableLogView,
    durableLast: number,
  ): void {
    const first = entries[0];
    if (!first) return;
    if (isLeader && first.index <= durableLast) {
      throw new InvariantViolation(
        'leader append-only',
        `leader ${node} rewrites index ${first.index} (has ${durableLast})`,
      );
    }
    let prevTerm = durable.termAt(first.index - 1);
    for (const entry of entries) {
      const key = `${entry.index}:${entry.term}`;
      const record: LoggedEntry = { dataHash: fnv1a(0, entry.data), prevTerm };
      const seen = this.logged.get(key);
      if (!seen) {
        this.logged.set(key, record);
      } else if (seen.dataHash !== record.dataHash) {
        throw new InvariantViolation(
          'log matching',
          `two different commands at index ${entry.index} term ${entry.term}`,
        );
      } else if (seen.prevTerm !== undefined && prevTerm !== undefined && seen.prevTerm !== prevTerm) {
        throw new InvariantViolation(
          'log matching',
          `entry ${key} follows term ${seen.prevTerm} on one node, ${prevTerm} on node ${node}`,
        );
      }
      prevTerm = entry.term;
    }
  }

  /** A node's persisted term never decreases and it never votes twice in one term (even across crashes). */
  onPersistHardState(node: NodeId, next: HardState): void {
    const prev = this.durableHardState.get(node);
    if (prev) {
      if (next.term < prev.term)
        throw new InvariantViolation('durable term', `node ${node} term ${prev.term} → ${next.term}`);
      if (next.term === prev.term && prev.vote !== 0 && next.vote !== prev.vote) {
        throw new InvariantViolation(
          'one vote per term',
          `node ${node} voted ${prev.vote} then ${next.vote} in term ${next.term}`,
        );
      }
    }
    this.durableHardState.set(node, next);
  }

  /** State-machine safety: every node applies the same commands in the same order. */
  onApply(node: NodeId, entry: Entry, hashAfter: number): void {
    const last = this.lastApplied.get(node) ?? 0;
    if (last !== 0 && entry.index !== last + 1) {
      throw new InvariantViolation('apply order', `node ${node} applied ${entry.index} after ${last}`);
    }
    this.lastApplied.set(node, entry.index);
    this.recordApplied(node, entry.index, hashAfter);
    if (this.committedTerm[entry.index] === undefined) this.committedTerm[entry.index] = entry.term;
    this.maxCommitted = Math.max(this.maxCommitted, entry.index);
  }

  onSnapshotApplied(node: NodeId, index: number, hash: number): void {
    this.lastApplied.set(node, index);
    this.recordApplied(node, index, hash);
  }

  /** A restarted node re-applies from its snapshot: forget where it was. */
  onRestart(node: NodeId, appliedIndex: number): void {
    this.lastApplied.set(node, appliedIndex);
  }

  /** Leader completeness: a new leader holds every entry committed in an earlier term. */
  onBecomeLeader(
    node: NodeId,
    term: number,
    termAt: (index: number) => number | undefined,
    firstIndex: number,
  ): void {
    let index = this.maxCommitted;
    while (index > 0 && (this.committedTerm[index] ?? 0) >= term) index--;
    if (index === 0 || index < firstIndex) return; // covered by the leader's snapshot
    const committedTerm = this.committedTerm[index];
    if (committedTerm === undefined) return;
    const held = termAt(index);
    if (held !== committedTerm) {
      throw new InvariantViolation(
        'leader completeness',
        `leader ${node} of term ${term} has term ${held} at committed index ${index} (committed in term ${committedTerm})`,
      );
    }
  }

  /** Durability: the latest committed entry survives on a quorum of durable logs (crashes included). */
  checkDurability(logs: readonly DurableLogView[], quorum: number): void {
    const index = this.maxCommitted;
    if (index === 0) return;
    const term = this.committedTerm[index];
    let holders = 0;
    for (const log of logs) if (log.snapshotIndex() >= index || log.termAt(index) === term) holders++;
    if (holders < quorum) {
      throw new InvariantViolation(
        'durability',
        `committed index ${index} is durable on ${holders} nodes, quorum is ${quorum}`,
      );
    }
  }

  committedTermAt(index: number): number | undefined {
    return this.committedTerm[index];
  }

  private recordApplied(node: NodeId, index: number, hash: number): void {
    const known = this.appliedHash[index];
    if (known === undefined) this.appliedHash[index] = hash;
    else if (known !== hash) {
      throw new InvariantViolation(
        'state-machine safety',
        `node ${node} applied a different history up to index ${index}`,
      );
    }
  }
}

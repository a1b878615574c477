import { Progress } from './progress';
import type { ConfChange, ConfState, NodeId } from './types';

export type VoteResult = 'won' | 'lost' | 'pending';

export interface TrackerLimits {
  readonly maxInflightMsgs: number;
  readonly maxInflightBytes: number;
}

/** Membership (voters + learners), per-node replication progress and votes of the current election. */
export class ProgressTracker {
  voters = new Set<NodeId>();
  learners = new Set<NodeId>();
  readonly progress = new Map<NodeId, Progress>();
  readonly votes = new Map<NodeId, boolean>();

  constructor(private readonly limits: TrackerLimits) {}

  confState(): ConfState {
    return {
      voters: [...this.voters].sort((a, b) => a - b),
      learners: [...this.learners].sort((a, b) => a - b),
    };
  }

  restore(confState: ConfState, nextIndex: number): void {
    this.voters = new Set(confState.voters);
    this.learners = new Set(confState.learners.filter((id) => !this.voters.has(id)));
    this.progress.clear();
    for (const id of this.voters) this.progress.set(id, this.newProgress(nextIndex, false));
    for (const id of this.learners) this.progress.set(id, this.newProgress(nextIndex, true));
  }

  /** Single-server change; a promoted learner keeps its progress so replication continues. */
  applyConfChange(change: ConfChange, nextIndex: number): ConfState {
    const { nodeId } = change;
    switch (change.type) {
      case 'add-voter':
        this.learners.delete(nodeId);
        this.voters.add(nodeId);
        this.ensureProgress(nodeId, nextIndex).isLearner = false;
        break;
      case 'add-learner':
        if (this.voters.has(nodeId)) break; // demotion is not supported: remove, then re-add
        this.learners.add(nodeId);
        this.ensureProgress(nodeId, nextIndex).isLearner = true;
        break;
      case 'remove-node':
        this.voters.delete(nodeId);
        this.learners.delete(nodeId);
        this.progress.delete(nodeId);
        break;
    }
    return this.confState();
  }

  isVoter(id: NodeId): boolean {
    return this.voters.has(id);
  }

  quorumSize(): number {
    return Math.floor(this.voters.size / 2) + 1;
  }

  /** Highest index replicated on a majority of voters. */
  committed(): number {
    const matches: number[] = [];
    for (const id of this.voters) matches.push(this.progress.get(id)?.match ?? 0);
    if (matches.length === 0) return Number.MAX_SAFE_INTEGER;
    matches.sort((a, b) => b - a);
    return matches[this.quorumSize() - 1] as number;
  }

  /** Check-quorum: did a majority of voters (counting `self`) talk to us recently? Resets the flags. */
  quorumActive(self: NodeId): boolean {
    let active = 0;
    for (const id of this.voters) {
      const progress = this.progress.get(id);
      if (id === self || progress?.recentActive) active++;
    }
    for (const [id, progress] of this.progress) progress.recentActive = id === self;
    return active >= this.quorumSize();
  }

  resetVotes(): void {
    this.votes.clear();
  }

  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  tallyVotes(): VoteResult {
    let granted = 0;
    let rejected = 0;
    for (const id of this.voters) {
      const vote = this.votes.get(id);
      if (vote === true) granted++;
      else if (vote === false) rejected++;
    }
    const quorum = this.quorumSize();
    if (granted >= quorum) return 'won';
    if (this.voters.size - rejected < quorum) return 'lost';
    return 'pending';
  }

  private ensureProgress(id: NodeId, nextIndex: number): Progress {
    let progress = this.progress.get(id);
    if (!progress) {
      progress = this.newProgress(nextIndex, false);
      // A new member has not been heard from yet, but must not count against check-quorum at once.
      progress.recentActive = true;
      this.progress.set(id, progress);
    }
    return progress;
  }

  private newProgress(nextIndex: number, isLearner: boolean): Progress {
    return new Progress(nextIndex, isLearner, this.limits.maxInflightMsgs, this.limits.maxInflightBytes);
  }
}

import type { RaftStorage } from '../storage/storage';
import type { ResolvedConfig } from './config';
import {
  BackpressureError,
  CompactedError,
  ConfChangeInProgressError,
  InvalidConfChangeError,
  NotLeaderError,
  ProposalDroppedError,
  RaftError,
  SnapshotTemporarilyUnavailableError,
} from './errors';
import { payloadSize, RaftLog } from './raft-log';
import { ReadOnly } from './read-only';
import { SnapshotAssembler, snapshotChunk } from './snapshot-stream';
import { decodeConfChange } from './conf-change';
import type { Progress } from './progress';
import { ProgressTracker } from './tracker';
import {
  CAMPAIGN_TRANSFER,
  NONE,
  type ConfChange,
  type ConfState,
  type Entry,
  type EntryType,
  type HardState,
  type Message,
  type NodeId,
  type ReadState,
  type Snapshot,
  type SoftState,
  type StateRole,
} from './types';

type CampaignType = 'pre-election' | 'election' | 'transfer';
type OutgoingMessage = Omit<Message, 'from' | 'term'> & { from?: NodeId; term?: number };

export interface ProposedEntry {
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/**
 * The Raft state machine (etcd-io/raft's `raft` struct): no I/O, no clock, no randomness of its own.
 * Everything it wants done is queued in `msgs`, `readStates` and the log's unstable part; RawNode
 * hands those to the application as a Ready.
 */
export class Raft {
  readonly id: NodeId;
  term = 0;
  vote: NodeId = NONE;
  lead: NodeId = NONE;
  role: StateRole = 'follower';
  isLearner = false;
  readonly log: RaftLog;
  readonly tracker: ProgressTracker;
  msgs: Message[] = [];
  readStates: ReadState[] = [];
  leadTransferee: NodeId = NONE;
  /** Index of the latest membership change proposed; another is refused until it is applied. */
  pendingConfIndex = 0;
  uncommittedSize = 0;
  electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  private readOnly = new ReadOnly();
  private pendingReadIndexMessages: Message[] = [];
  private readonly snapshotsInFlight = new Map<NodeId, Snapshot>();
  private readonly incomingSnapshot = new SnapshotAssembler();

  constructor(
    readonly config: ResolvedConfig,
    storage: RaftStorage,
  ) {
    this.id = config.id;
    this.log = new RaftLog(storage);
    this.tracker = new ProgressTracker(config);
    const { hardState, confState } = storage.initialState();
    this.tracker.restore(confState, this.log.lastIndex() + 1);
    this.isLearner = confState.learners.includes(this.id);
    if (hardState.term !== 0 || hardState.vote !== NONE || hardState.commit !== 0) this.loadState(hardState);
    if (config.applied > 0) this.log.appliedTo(config.applied);
    this.becomeFollower(this.term, NONE);
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    return { lead: this.lead, role: this.role };
  }

  // ---------------------------------------------------------------- time

  tick(): void {
    if (this.role === 'leader') this.tickHeartbeat();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.stepLocal('hup');
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.config.electionTick) {
      this.electionElapsed = 0;
      if (this.config.checkQuorum) this.stepLocal('check-quorum');
      // A transfer that did not finish within an election timeout is abandoned (thesis §3.10).
      if (this.role === 'leader' && this.leadTransferee !== NONE) this.abortLeaderTransfer();
    }
    if (this.role !== 'leader') return;
    if (this.heartbeatElapsed >= this.config.heartbeatTick) {
      this.heartbeatElapsed = 0;
      this.stepLocal('beat');
    }
    this.retryStalledSnapshots();
  }

  private stepLocal(type: 'hup' | 'beat' | 'check-quorum'): void {
    this.step({ type, from: this.id, to: this.id, term: 0 });
  }

  // ---------------------------------------------------------------- API used by RawNode

  /** Appends proposals on the leader; throws NotLeaderError (with a hint) anywhere else. */
  propose(proposals: readonly ProposedEntry[]): { index: number; term: number } {
    if (this.role !== 'leader') throw new NotLeaderError(this.lead);
    if (this.leadTransferee !== NONE) {
      throw new ProposalDroppedError(`leadership transfer to ${this.leadTransferee} in progress`);
    }
    for (const proposal of proposals) {
      if (proposal.type === 'conf-change') this.validateConfChange(decodeConfChange(proposal.data));
    }
    const first = this.log.lastIndex() + 1;
    const last = this.appendEntries(proposals); // may refuse with BackpressureError: nothing is pending then
    proposals.forEach((proposal, i) => {
      if (proposal.type === 'conf-change') this.pendingConfIndex = first + i;
    });
    this.bcastAppend();
    return { index: last, term: this.term };
  }

  /** Starts a linearizable read; the answer arrives as a ReadState carrying `context`. */
  readIndex(context: string): void {
    if (this.role === 'leader') {
      this.stepLeader({ type: 'read-index', from: this.id, to: this.id, term: 0, context });
      return;
    }
    if (this.lead === NONE || this.role !== 'follower') throw new NotLeaderError(this.lead);
    this.send({ type: 'read-index', to: this.lead, term: 0, context });
  }

  transferLeadership(target: NodeId): void {
    const request: Message = { type: 'transfer-leader', from: target, to: this.id, term: 0 };
    if (this.role === 'leader') this.stepLeader(request);
    else if (this.lead !== NONE) this.send({ ...request, to: this.lead });
    else throw new NotLeaderError(NONE);
  }

  /** Called once the application applies a committed conf-change entry (membership changes on apply). */
  applyConfChange(change: ConfChange): ConfState {
    const confState = this.tracker.applyConfChange(change, this.log.lastIndex() + 1);
    this.isLearner = confState.learners.includes(this.id);
    if (change.type === 'remove-node') this.snapshotsInFlight.delete(change.nodeId);
    if (this.role !== 'leader') return confState;
    if (!this.tracker.isVoter(this.id)) {
      // A leader removed from the configuration stops leading; the rest elect a new one.
      this.becomeFollower(this.term, NONE);
      return confState;
    }
    if (this.leadTransferee !== NONE && !this.tracker.isVoter(this.leadTransferee))
      this.abortLeaderTransfer();
    // The quorum changed: maybe more is committed now, and new members need their first append.
    if (this.maybeCommit()) this.releasePendingReadIndexMessages();
    this.bcastAppend();
    return confState;
  }

  reportUnreachable(id: NodeId): void {
    const progress = this.tracker.progress.get(id);
    if (this.role === 'leader' && progress?.state === 'replicate') progress.becomeProbe();
  }

  /** Committed entries were handed to the application: their bytes no longer count as uncommitted. */
  reduceUncommittedSize(entries: readonly Entry[]): void {
    if (this.uncommittedSize === 0) return;
    this.uncommittedSize = Math.max(0, this.uncommittedSize - payloadSize(entries));
  }

  // ---------------------------------------------------------------- step

  step(m: Message): void {
    if (m.term > this.term && m.term !== 0) {
      if (!this.acceptHigherTerm(m)) return;
    } else if (m.term < this.term && m.term !== 0) {
      this.answerStaleTerm(m);
      return;
    }
    switch (m.type) {
      case 'hup':
        this.hup(this.config.preVote ? 'pre-election' : 'election');
        return;
      case 'vote':
      case 'pre-vote':
        this.handleVoteRequest(m);
        return;
      default:
        if (this.role === 'leader') this.stepLeader(m);
        else if (this.role === 'follower') this.stepFollower(m);
        else this.stepCandidate(m);
    }
  }

  /** Returns false if the message must be ignored. */
  private acceptHigherTerm(m: Message): boolean {
    if (m.type === 'vote' || m.type === 'pre-vote') {
      const forced = m.context === CAMPAIGN_TRANSFER;
      const inLease =
        this.config.checkQuorum && this.lead !== NONE && this.electionElapsed < this.config.electionTick;
      // Leader stickiness: while we hear from a leader, a disruptive candidate does not get a vote.
      if (!forced && inLease) return false;
    }
    if (m.type === 'pre-vote') return true; // a pre-vote never changes our term
    if (m.type === 'pre-vote-resp' && !m.reject) return true; // term is bumped when the pre-vote wins
    const leader = m.type === 'app' || m.type === 'heartbeat' || m.type === 'snap' ? m.from : NONE;
    this.becomeFollower(m.term, leader);
    return true;
  }

  private answerStaleTerm(m: Message): void {
    if ((this.config.checkQuorum || this.config.preVote) && (m.type === 'heartbeat' || m.type === 'app')) {
      // Tell a deposed leader (whose term never advanced, thanks to pre-vote) that it is stale.
      this.send({ type: 'app-resp', to: m.from });
    } else if (m.type === 'pre-vote') {
      this.send({ type: 'pre-vote-resp', to: m.from, term: this.term, reject: true });
    }
  }

  private handleVoteRequest(m: Message): void {
    const responseType = m.type === 'vote' ? 'vote-resp' : 'pre-vote-resp';
    const canVote =
      this.vote === m.from ||
      (this.vote === NONE && this.lead === NONE) ||
      (m.type === 'pre-vote' && m.term > this.term);
    if (canVote && this.log.isUpToDate(m.index ?? 0, m.logTerm ?? 0)) {
      this.send({ type: responseType, to: m.from, term: m.term, reject: false });
      if (m.type === 'vote') {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send({ type: responseType, to: m.from, term: this.term, reject: true });
    }
  }

  // ---------------------------------------------------------------- elections

  private hup(type: CampaignType): void {
    if (this.role === 'leader' || !this.promotable() || this.hasUnappliedConfChanges()) return;
    this.campaign(type);
  }

  private promotable(): boolean {
    return this.tracker.isVoter(this.id) && !this.isLearner && this.log.unstable.snapshot === undefined;
  }

  private hasUnappliedConfChanges(): boolean {
    if (this.log.committed <= this.log.applied) return false;
    return this.log.nextCommittedEntries().some((entry) => entry.type === 'conf-change');
  }

  private campaign(type: CampaignType): void {
    let term: number;
    if (type === 'pre-election') {
      this.becomePreCandidate();
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      term = this.term;
    }
    this.tracker.recordVote(this.id, true);
    if (this.tracker.tallyVotes() === 'won') {
      if (type === 'pre-election') this.campaign('election');
      else this.becomeLeader();
      return;
    }
    const voteType = type === 'pre-election' ? 'pre-vote' : 'vote';
    const index = this.log.lastIndex();
    const logTerm = this.log.lastTerm();
    for (const id of this.tracker.voters) {
      if (id === this.id) continue;
      this.send({
        type: voteType,
        to: id,
        term,
        index,
        logTerm,
        ...(type === 'transfer' ? { context: CAMPAIGN_TRANSFER } : {}),
      });
    }
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
  }

  private becomeCandidate(): void {
    if (this.role === 'leader') throw new RaftError('a leader cannot become a candidate');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
  }

  private becomePreCandidate(): void {
    if (this.role === 'leader') throw new RaftError('a leader cannot become a pre-candidate');
    // No reset: a pre-candidate keeps its term and vote, so a failed pre-vote disturbs nobody.
    this.tracker.resetVotes();
    this.lead = NONE;
    this.role = 'pre-candidate';
  }

  private becomeLeader(): void {
    if (this.role === 'follower') throw new RaftError('a follower cannot become leader directly');
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'leader';
    this.tracker.progress.get(this.id)?.becomeReplicate();
    // Conservatively assume the uncommitted tail may hold a conf change.
    this.pendingConfIndex = this.log.lastIndex();
    // An empty entry of the new term lets earlier-term entries commit (paper §5.4.2, Figure 8).
    this.appendEntries([{ type: 'normal', data: new Uint8Array(0) }]);
    this.bcastAppend();
  }

  private reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout =
      this.config.electionTick + this.config.random.nextInt(this.config.electionTick);
    this.leadTransferee = NONE;
    this.tracker.resetVotes();
    const last = this.log.lastIndex();
    for (const [id, progress] of this.tracker.progress)
      progress.reset(id === this.id ? last : 0, last + 1, id === this.id);
    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    this.readOnly = new ReadOnly();
    this.pendingReadIndexMessages = [];
    this.snapshotsInFlight.clear();
  }

  private abortLeaderTransfer(): void {
    this.leadTransferee = NONE;
  }

  // ---------------------------------------------------------------- candidate / follower

  private stepCandidate(m: Message): void {
    const myVoteResponse = this.role === 'pre-candidate' ? 'pre-vote-resp' : 'vote-resp';
    switch (m.type) {
      case 'app':
        this.becomeFollower(m.term, m.from);
        this.handleAppendEntries(m);
        return;
      case 'heartbeat':
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return;
      case 'snap':
        this.becomeFollower(m.term, m.from);
        this.handleSnapshotChunk(m);
        return;
      case myVoteResponse:
        this.tracker.recordVote(m.from, !m.reject);
        this.onVoteTally(this.tracker.tallyVotes());
        return;
      default:
        return; // timeout-now, stale responses: nothing to do while campaigning
    }
  }

  private onVoteTally(result: 'won' | 'lost' | 'pending'): void {
    if (result === 'won') {
      if (this.role === 'pre-candidate') this.campaign('election');
      else this.becomeLeader();
    } else if (result === 'lost') {
      this.becomeFollower(this.term, NONE);
    }
  }

  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'app':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppendEntries(m);
        return;
      case 'heartbeat':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        return;
      case 'snap':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshotChunk(m);
        return;
      case 'transfer-leader':
      case 'read-index':
        if (this.lead !== NONE) this.send({ ...m, to: this.lead });
        return;
      case 'timeout-now':
        this.hup('transfer');
        return;
      case 'read-index-resp':
        this.readStates.push({ index: m.index ?? 0, context: m.context ?? '' });
        return;
      default:
        return;
    }
  }

  private handleAppendEntries(m: Message): void {
    const index = m.index ?? 0;
    if (index < this.log.committed) {
      this.send({ type: 'app-resp', to: m.from, index: this.log.committed });
      return;
    }
    const lastNew = this.log.maybeAppend(index, m.logTerm ?? 0, m.commit ?? 0, m.entries ?? []);
    if (lastNew !== undefined) {
      this.send({ type: 'app-resp', to: m.from, index: lastNew });
      return;
    }
    // Fast backtracking: hint the last index whose term could match, skipping whole terms.
    const hint = this.log.findConflictByTerm(Math.min(index, this.log.lastIndex()), m.logTerm ?? 0);
    this.send({
      type: 'app-resp',
      to: m.from,
      index,
      reject: true,
      rejectHint: hint.index,
      logTerm: hint.term,
    });
  }

  private handleHeartbeat(m: Message): void {
    this.log.commitTo(Math.min(m.commit ?? 0, this.log.lastIndex()));
    this.send({ type: 'heartbeat-resp', to: m.from, ...(m.context ? { context: m.context } : {}) });
  }

  /** Reassembles an InstallSnapshot sent in chunks; each chunk is acknowledged with the bytes held. */
  private handleSnapshotChunk(m: Message): void {
    const chunk = m.chunk;
    if (!chunk) return;
    if (chunk.metadata.index <= this.log.committed) {
      this.incomingSnapshot.reset();
      this.send({ type: 'app-resp', to: m.from, index: this.log.committed });
      return;
    }
    const assembled = this.incomingSnapshot.accept(chunk);
    if (typeof assembled === 'number') {
      this.send({ type: 'snap-resp', to: m.from, index: chunk.metadata.index, offset: assembled });
      return;
    }
    // After a fast-forward our tail beyond the snapshot may diverge, so only claim the commit index.
    const matched = this.restore(assembled) ? this.log.lastIndex() : this.log.committed;
    this.send({ type: 'app-resp', to: m.from, index: matched });
  }

  private restore(snapshot: Snapshot): boolean {
    const { index, term, confState } = snapshot.metadata;
    if (index <= this.log.committed) return false;
    if (this.log.matchTerm(index, term)) {
      // We already hold this prefix: fast-forward the commit index instead of wiping the log.
      this.log.commitTo(index);
      return false;
    }
    this.log.restore(snapshot);
    this.tracker.restore(confState, this.log.lastIndex() + 1);
    this.isLearner = confState.learners.includes(this.id);
    return true;
  }

  // ---------------------------------------------------------------- leader

  private stepLeader(m: Message): void {
    switch (m.type) {
      case 'beat':
        this.bcastHeartbeat(this.readOnly.lastPendingContext());
        return;
      case 'check-quorum':
        if (!this.tracker.quorumActive(this.id)) this.becomeFollower(this.term, NONE);
        return;
      case 'read-index':
        this.handleReadIndexRequest(m);
        return;
      case 'transfer-leader':
        this.handleTransferLeader(m);
        return;
    }
    const progress = this.tracker.progress.get(m.from);
    if (!progress) return;
    switch (m.type) {
      case 'app-resp':
        progress.recentActive = true;
        if (m.reject) this.handleAppendRejection(m, progress);
        else this.handleAppendSuccess(m, progress);
        return;
      case 'heartbeat-resp':
        this.handleHeartbeatResponse(m, progress);
        return;
      case 'snap-resp':
        this.handleSnapshotChunkAck(m, progress);
        return;
      default:
        return;
    }
  }

  private handleAppendRejection(m: Message, progress: Progress): void {
    let nextProbe = m.rejectHint ?? 0;
    if ((m.logTerm ?? 0) > 0) nextProbe = this.log.findConflictByTerm(nextProbe, m.logTerm ?? 0).index;
    if (progress.maybeDecrTo(m.index ?? 0, nextProbe)) {
      if (progress.state === 'replicate') progress.becomeProbe();
      this.sendAppend(m.from);
    }
  }

  private handleAppendSuccess(m: Message, progress: Progress): void {
    const wasPaused = progress.isPaused();
    const index = m.index ?? 0;
    const updated = progress.maybeUpdate(index);
    // A repeated ack of our current match still matters outside replicate state: it ends a probe,
    // or tells us the follower already holds what the snapshot in flight would give it.
    if (!updated && !(progress.match === index && progress.state !== 'replicate')) return;
    if (progress.state === 'probe') {
      progress.becomeReplicate();
    } else if (progress.state === 'snapshot') {
      if (progress.match >= progress.pendingSnapshot) {
        this.snapshotsInFlight.delete(m.from);
        progress.becomeProbe();
        // If we compacted past its match meanwhile, stay in probe: the next append sends a newer snapshot.
        if (progress.match + 1 >= this.log.firstIndex()) progress.becomeReplicate();
      }
    } else {
      progress.inflights.freeLE(index);
    }
    if (this.maybeCommit()) {
      this.releasePendingReadIndexMessages();
      this.bcastAppend();
    } else if (wasPaused) {
      this.sendAppend(m.from);
    }
    while (this.maybeSendAppend(m.from, false)) {
      // keep the pipeline full up to the in-flight cap
    }
    if (m.from === this.leadTransferee && progress.match === this.log.lastIndex())
      this.sendTimeoutNow(m.from);
  }

  private handleHeartbeatResponse(m: Message, progress: Progress): void {
    progress.recentActive = true;
    progress.probeSent = false;
    if (progress.state === 'replicate' && progress.inflights.full()) progress.inflights.freeFirstOne();
    if (progress.match < this.log.lastIndex() || progress.state === 'probe') this.sendAppend(m.from);
    if (this.config.readOnlyOption !== 'safe' || !m.context) return;
    this.readOnly.recvAck(m.from, m.context);
    let acks = 0;
    for (const id of this.readOnly.acks(m.context)) if (this.tracker.isVoter(id)) acks++;
    if (acks < this.tracker.quorumSize()) return;
    for (const read of this.readOnly.advance(m.context))
      this.answerReadIndex(read.from, read.index, read.context);
  }

  private handleSnapshotChunkAck(m: Message, progress: Progress): void {
    progress.recentActive = true;
    if (progress.state !== 'snapshot' || progress.pendingSnapshot !== m.index) return;
    const snapshot = this.snapshotsInFlight.get(m.from);
    if (!snapshot) return;
    progress.snapshotOffset = m.offset ?? 0;
    if (progress.snapshotOffset < snapshot.data.length) this.sendSnapshotChunk(m.from, progress, snapshot);
  }

  private handleTransferLeader(m: Message): void {
    const target = m.from;
    const progress = this.tracker.progress.get(target);
    if (!progress || progress.isLearner || target === this.id) return;
    if (this.leadTransferee === target) return;
    this.electionElapsed = 0; // the transfer must finish within one election timeout
    this.leadTransferee = target;
    if (progress.match === this.log.lastIndex()) this.sendTimeoutNow(target);
    else this.sendAppend(target);
  }

  private sendTimeoutNow(to: NodeId): void {
    this.send({ type: 'timeout-now', to });
  }

  private handleReadIndexRequest(m: Message): void {
    const context = m.context ?? '';
    if (this.tracker.voters.size <= 1) {
      this.answerReadIndex(m.from, this.log.committed, context);
      return;
    }
    // Thesis §6.4: until an entry of this term commits, our commit index may be behind the cluster's.
    if (!this.committedEntryInCurrentTerm()) {
      this.pendingReadIndexMessages.push(m);
      return;
    }
    this.serveReadIndex(m.from, context);
  }

  private serveReadIndex(from: NodeId, context: string): void {
    if (this.config.readOnlyOption === 'lease-based') {
      this.answerReadIndex(from, this.log.committed, context);
      return;
    }
    this.readOnly.add(this.log.committed, from, context);
    this.readOnly.recvAck(this.id, context);
    this.bcastHeartbeat(context);
  }

  private answerReadIndex(from: NodeId, index: number, context: string): void {
    if (from === NONE || from === this.id) this.readStates.push({ index, context });
    else this.send({ type: 'read-index-resp', to: from, index, context });
  }

  private committedEntryInCurrentTerm(): boolean {
    return this.log.termOrZero(this.log.committed) === this.term;
  }

  private releasePendingReadIndexMessages(): void {
    if (this.pendingReadIndexMessages.length === 0 || !this.committedEntryInCurrentTerm()) return;
    const pending = this.pendingReadIndexMessages;
    this.pendingReadIndexMessages = [];
    for (const m of pending) this.serveReadIndex(m.from, m.context ?? '');
  }

  /** Paper §5.4.2 / Figure 8: count replicas only for an entry of the leader's current term. */
  protected maybeCommit(): boolean {
    return this.log.maybeCommit(this.tracker.committed(), this.term);
  }

  private appendEntries(proposals: readonly ProposedEntry[]): number {
    const last = this.log.lastIndex();
    const entries: Entry[] = proposals.map((p, i) => ({
      term: this.term,
      index: last + 1 + i,
      type: p.type,
      data: p.data,
    }));
    const size = payloadSize(entries);
    const limit = this.config.maxUncommittedEntriesSize;
    // A single oversized proposal is still accepted when nothing is pending, so progress is possible.
    if (limit > 0 && this.uncommittedSize > 0 && size > 0 && this.uncommittedSize + size > limit) {
      throw new BackpressureError(this.uncommittedSize + size, limit);
    }
    this.uncommittedSize += size;
    const newLast = this.log.append(entries);
    this.tracker.progress.get(this.id)?.maybeUpdate(newLast);
    this.maybeCommit();
    return newLast;
  }

  private validateConfChange(change: ConfChange): void {
    if (this.pendingConfIndex > this.log.applied) throw new ConfChangeInProgressError(this.pendingConfIndex);
    if (change.type !== 'add-voter' || !this.tracker.learners.has(change.nodeId)) return;
    const progress = this.tracker.progress.get(change.nodeId);
    const lag = this.log.lastIndex() - (progress?.match ?? 0);
    if (lag > this.config.maxLearnerLagForPromotion) {
      throw new InvalidConfChangeError(
        `learner ${change.nodeId} is ${lag} entries behind; promote it once caught up`,
      );
    }
  }

  private bcastAppend(): void {
    for (const id of this.tracker.progress.keys()) if (id !== this.id) this.sendAppend(id);
  }

  private bcastHeartbeat(context: string | undefined): void {
    for (const [id, progress] of this.tracker.progress) {
      if (id === this.id) continue;
      this.send({
        type: 'heartbeat',
        to: id,
        // Never tell a follower to commit beyond what it is known to hold.
        commit: Math.min(progress.match, this.log.committed),
        ...(context ? { context } : {}),
      });
    }
  }

  private sendAppend(to: NodeId): void {
    this.maybeSendAppend(to, true);
  }

  /** Sends the next batch to `to` if flow control allows; returns whether a message went out. */
  private maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const progress = this.tracker.progress.get(to);
    if (!progress || progress.isPaused()) return false;
    const prevIndex = progress.next - 1;
    let prevTerm: number;
    let entries: Entry[];
    try {
      prevTerm = this.log.term(prevIndex);
      entries = this.log.entriesFrom(progress.next, this.config.maxSizePerMsg);
    } catch (error) {
      if (error instanceof CompactedError) return this.sendSnapshot(to, progress);
      throw error;
    }
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send({ type: 'app', to, index: prevIndex, logTerm: prevTerm, entries, commit: this.log.committed });
    progress.sentEntries(prevIndex + entries.length, entries.length, payloadSize(entries));
    return true;
  }

  private sendSnapshot(to: NodeId, progress: Progress): boolean {
    if (!progress.recentActive) return false; // do not stream a snapshot into the void
    let snapshot: Snapshot;
    try {
      snapshot = this.log.snapshot();
    } catch (error) {
      if (error instanceof SnapshotTemporarilyUnavailableError) return false;
      throw error;
    }
    if (snapshot.metadata.index === 0) throw new RaftError('log compacted but no snapshot available');
    progress.becomeSnapshot(snapshot.metadata.index);
    this.snapshotsInFlight.set(to, snapshot);
    this.sendSnapshotChunk(to, progress, snapshot);
    return true;
  }

  private sendSnapshotChunk(to: NodeId, progress: Progress, snapshot: Snapshot): void {
    progress.snapshotTicks = 0;
    this.send({
      type: 'snap',
      to,
      chunk: snapshotChunk(snapshot, progress.snapshotOffset, this.config.snapshotChunkSize),
    });
  }

  /** A lost chunk (or ack) would stall the stream: resend the wanted chunk after a quiet while. */
  private retryStalledSnapshots(): void {
    for (const [id, snapshot] of this.snapshotsInFlight) {
      const progress = this.tracker.progress.get(id);
      if (!progress || progress.state !== 'snapshot') {
        this.snapshotsInFlight.delete(id);
        continue;
      }
      progress.snapshotTicks++;
      if (progress.snapshotTicks >= this.config.electionTick / 2)
        this.sendSnapshotChunk(id, progress, snapshot);
    }
  }

  // ---------------------------------------------------------------- plumbing

  private send(m: OutgoingMessage): void {
    const term = m.term ?? this.defaultTermFor(m.type);
    this.msgs.push({ ...m, from: m.from ?? this.id, term });
  }

  private defaultTermFor(type: Message['type']): number {
    // Forwarded requests carry no term, like local messages, so the leader accepts them in any term.
    return type === 'read-index' || type === 'transfer-leader' ? 0 : this.term;
  }

  private loadState(hardState: HardState): void {
    if (hardState.commit < this.log.committed || hardState.commit > this.log.lastIndex()) {
      throw new RaftError(
        `hard state commit ${hardState.commit} is outside [${this.log.committed}, ${this.log.lastIndex()}]`,
      );
    }
    this.log.committed = hardState.commit;
    this.term = hardState.term;
    this.vote = hardState.vote;
  }
}

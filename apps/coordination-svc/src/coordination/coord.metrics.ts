import { Inject, Injectable } from '@nestjs/common';
import type { AppliedConfChange, Entry, SoftState, StateRole } from '@kailash/raft';
import { METRICS_REGISTRY } from '@kailash/service-kit';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ReplicaObserver } from '../raft/replica-observer';

const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** The replica's Prometheus metrics (on /metrics), fed by the replica's observer calls. */
@Injectable()
export class CoordMetrics implements ReplicaObserver {
  readonly term: Gauge;
  readonly isLeader: Gauge;
  readonly leaderChanges: Counter;
  readonly proposalsCommitted: Counter;
  readonly proposalsRefused: Counter;
  readonly applyLag: Gauge;
  readonly appliedIndex: Gauge;
  readonly fsyncSeconds: Histogram;
  readonly commitLatency: Histogram;
  readonly snapshots: Counter;
  readonly snapshotBytes: Gauge;
  readonly refusedBatches: Counter;
  /** Set by the replica host: the node's commit and applied index, read at scrape time. */
  indexes: () => { commit: number; applied: number } = () => ({ commit: 0, applied: 0 });

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.term = new Gauge({ name: 'coord_raft_term', help: 'Current Raft term', registers });
    this.isLeader = new Gauge({
      name: 'coord_raft_is_leader',
      help: '1 while this replica leads',
      registers,
    });
    this.leaderChanges = new Counter({
      name: 'coord_raft_leader_changes_total',
      help: 'Times this replica saw the leader change',
      registers,
    });
    this.proposalsCommitted = new Counter({
      name: 'coord_proposals_committed_total',
      help: 'Client writes applied and answered',
      registers,
    });
    this.proposalsRefused = new Counter({
      name: 'coord_proposals_refused_total',
      help: 'Client writes refused or failed (not leader, backpressure, timeout)',
      registers,
    });
    const indexes = () => this.indexes();
    this.applyLag = new Gauge({
      name: 'coord_apply_lag_entries',
      help: 'Committed entries not yet applied',
      registers,
      collect() {
        const { commit, applied } = indexes();
        this.set(commit - applied);
      },
    });
    this.appliedIndex = new Gauge({
      name: 'coord_applied_index',
      help: 'Last applied Raft index',
      registers,
      collect() {
        this.set(indexes().applied);
      },
    });
    this.fsyncSeconds = new Histogram({
      name: 'coord_wal_fsync_seconds',
      help: 'Time to write and fdatasync one Ready to the WAL',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.commitLatency = new Histogram({
      name: 'coord_commit_latency_seconds',
      help: 'Time from receiving a write to answering it (committed and applied)',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.snapshots = new Counter({
      name: 'coord_snapshots_total',
      help: 'Snapshots taken or installed',
      registers,
    });
    this.snapshotBytes = new Gauge({
      name: 'coord_snapshot_bytes',
      help: 'Size of the last snapshot',
      registers,
    });
    this.refusedBatches = new Counter({
      name: 'coord_peer_batches_refused_total',
      help: 'Peer messages dropped as malformed',
      registers,
    });
  }

  timedSave(save: () => void | Promise<void>, mustSync: boolean): void | Promise<void> {
    if (!mustSync) return save();
    const stop = this.fsyncSeconds.startTimer();
    const saved = save();
    if (saved) return saved.finally(() => stop());
    stop();
  }

  softState(soft: SoftState, previous: { lead: number; role: StateRole }, term: number): void {
    this.term.set(term);
    this.isLeader.set(soft.role === 'leader' ? 1 : 0);
    if (soft.lead !== previous.lead && soft.lead !== 0) this.leaderChanges.inc();
  }

  leaderElected(entry: Entry): void {
    this.term.set(entry.term);
  }

  membershipChanged(_entry: Entry, _change: AppliedConfChange): void {
    return;
  }

  applied(): void {
    return;
  }

  /** Refusals are counted where the write is answered (KvService), so a dropped batch is not counted twice. */
  proposalsDropped(): void {
    return;
  }

  snapshotTaken(_index: number, bytes: number): void {
    this.snapshots.inc();
    this.snapshotBytes.set(bytes);
  }

  snapshotRestored(_index: number, bytes: number): void {
    this.snapshots.inc();
    this.snapshotBytes.set(bytes);
  }

  refusedBatch(): void {
    this.refusedBatches.inc();
  }
}

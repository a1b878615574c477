import type { BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { SqlDatabase } from '@kailash/backbone';
import type { ServiceConfig } from '@kailash/service-kit';
import { METRICS_REGISTRY, ReadinessProbes, SERVICE_CONFIG, SQL_DATABASE } from '@kailash/service-kit';
import type { AppliedConfChange, Entry } from '@kailash/raft';
import { Gauge, type Registry } from 'prom-client';
import { ReplicaHost } from '../coordination/replica-host';
import { STATE_MACHINE } from '../coordination/tokens';
import { NO_OBSERVER, type ReplicaObserver } from '../raft/replica-observer';
import type { CoordinationMachine } from '../state/coordination-machine';
import { HistoryBuffer } from './history-buffer';
import { factRows } from './history-rows';
import { readHistoryCheckpoint, writeHistory } from './history-writer';
import { ProjectionProgress } from './projection-progress';

/** Rows waiting are written together after this long, so a burst of facts shares one transaction. */
const FLUSH_DELAY_MS = 20;
/** With no rows waiting, only the checkpoint moves: often enough for the lag metric, rarely for the database. */
const ADVANCE_DELAY_MS = 250;
const RETRY_MS = 1_000;
/** Rows held while PostgreSQL is away before they give way to one gap row. */
const MAX_WAITING_ROWS = 100_000;

/**
 * Projects what this replica applies (leaders, membership, the state machine's facts) into its own
 * database, in log order, with the Raft applied index as the checkpoint in the same transaction as
 * the rows. It is told synchronously as each entry is applied and writes asynchronously, so the
 * Raft loop never waits for PostgreSQL; the lag is a metric, and a stall turns readiness to 503.
 */
@Injectable()
export class ReadModelProjector implements ReplicaObserver, OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReadModelProjector.name);
  private readonly progress: ProjectionProgress;
  private host!: ReplicaHost;
  private machine!: CoordinationMachine;
  private buffer = new HistoryBuffer(0, MAX_WAITING_ROWS);
  private checkpoint = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerDelay = 0;
  private flushing: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly moduleRef: ModuleRef,
    probes: ReadinessProbes,
  ) {
    this.progress = new ProjectionProgress(config.PROJECTION_STALL_MS);
    const lag = () => this.lag();
    new Gauge({
      name: 'kailash_coord_read_model_lag_entries',
      help: 'Applied Raft entries whose history is not yet written to this replica database',
      registers: [registry],
      collect() {
        this.set(lag());
      },
    });
    probes.register('read-model', () => {
      const stalled = this.progress.stalledFor(Date.now());
      if (stalled === 0) return { up: true };
      const error = this.progress.lastError ? `: ${this.progress.lastError}` : '';
      return {
        up: false,
        message: `history stalled ${Math.round(stalled / 1000)} s at index ${this.checkpoint}${error}`,
        details: { checkpoint: this.checkpoint, lag: this.lag() },
      };
    });
  }

  /** Before the replica starts applying: the checkpoint, and a gap if the WAL starts past it. */
  async onModuleInit(): Promise<void> {
    this.host = this.moduleRef.get(ReplicaHost, { strict: false });
    this.machine = this.moduleRef.get<CoordinationMachine>(STATE_MACHINE, { strict: false });
    const start = this.machine.state.appliedIndex;
    this.checkpoint = await readHistoryCheckpoint(this.db);
    // Applied entries are always in the WAL, so a history past its end belongs to another log (a
    // wiped data directory, another group): adding to it would skip this log's entries silently.
    const walEnd = this.host.replica.storage.lastIndex();
    if (this.checkpoint > walEnd)
      throw new Error(
        `the database's history is written up to Raft index ${this.checkpoint}, but this replica's WAL ` +
          `ends at ${walEnd}: they belong to different logs; drop the database or set DATABASE_URL to a new one`,
      );
    this.buffer = new HistoryBuffer(start, MAX_WAITING_ROWS);
    this.buffer.missing(
      this.checkpoint + 1,
      start,
      `this replica started from a snapshot at ${start}; its history before it was not recorded here`,
    );
    this.machine.onApplied((applied) => {
      this.buffer.applied(applied.index, factRows(applied.index, applied.facts, this.machine.state.now));
      this.schedule();
    });
    this.schedule();
  }

  /** Writes what waits once more (unless the database is failing), so a clean stop leaves no lag. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.flushing;
    if (!this.progress.lastError) await this.flush();
  }

  /** The applied entries whose history is not in the database yet. */
  lag(): number {
    return Math.max(0, (this.machine?.state.appliedIndex ?? 0) - this.checkpoint);
  }

  get writtenUpTo(): number {
    return this.checkpoint;
  }

  // ReplicaObserver: the entries that are not the state machine's, and snapshots.

  timedSave = NO_OBSERVER.timedSave;
  softState = NO_OBSERVER.softState;
  applied = NO_OBSERVER.applied;
  proposalsDropped = NO_OBSERVER.proposalsDropped;
  snapshotTaken = NO_OBSERVER.snapshotTaken;
  refusedBatch = NO_OBSERVER.refusedBatch;

  leaderElected(entry: Entry): void {
    // One leader per term: the leader this replica knows is that entry's only while its term lasts.
    const status = this.host.replica.node.status();
    const leader = status.term === entry.term && status.lead !== 0 ? status.lead : null;
    this.buffer.applied(entry.index, [{ kind: 'leader', index: entry.index, term: entry.term, leader }]);
    this.schedule();
  }

  membershipChanged(entry: Entry, { change, confState }: AppliedConfChange): void {
    this.buffer.applied(entry.index, [
      {
        kind: 'membership',
        index: entry.index,
        change: change.type,
        nodeId: change.nodeId,
        voters: [...confState.voters],
        learners: [...confState.learners],
      },
    ]);
    this.schedule();
  }

  snapshotRestored(index: number): void {
    this.buffer.jumped(index, `installed the leader's snapshot at ${index} without these entries`);
    this.schedule();
  }

  private schedule(delay = this.buffer.size > 0 ? FLUSH_DELAY_MS : ADVANCE_DELAY_MS): void {
    this.progress.waiting(Date.now());
    if (this.flushing || this.stopped) return;
    if (this.timer && (this.timerDelay <= delay || this.buffer.size === 0)) return;
    // Rows arrived while only a checkpoint move was due: write them sooner.
    clearTimeout(this.timer);
    this.timerDelay = delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flush().finally(() => (this.flushing = undefined));
    }, delay);
  }

  private async flush(): Promise<void> {
    this.buffer.advance(this.machine.state.appliedIndex);
    const upTo = this.buffer.covered;
    const rows = this.buffer.take();
    if (rows.length === 0 && upTo <= this.checkpoint) {
      this.progress.wrote(Date.now(), true);
      return;
    }
    try {
      this.checkpoint = await writeHistory(this.db, rows, upTo);
      const caughtUp = this.buffer.size === 0 && this.machine.state.appliedIndex <= this.checkpoint;
      this.progress.wrote(Date.now(), caughtUp);
      if (!caughtUp) setImmediate(() => this.schedule());
    } catch (error) {
      this.buffer.restore(rows);
      const message = (error as Error).message;
      if (this.progress.lastError !== message) this.logger.warn(`history not written yet: ${message}`);
      this.progress.failed(message);
      if (!this.stopped) setTimeout(() => this.schedule(0), RETRY_MS).unref();
    }
  }
}

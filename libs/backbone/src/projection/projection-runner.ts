import type { SubjectSpace } from '@kailash/contracts';
import type { HybridLogicalClock } from '@kailash/hlc';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { ProjectionFencedError } from '../errors';
import type { BackboneLogger } from '../logger';
import { silentLogger } from '../logger';
import { BackboneMetrics } from '../metrics/backbone-metrics';
import { projectionConsumerName, takeOverDurableConsumer } from '../streams/stream-setup';
import { advanceCheckpoint, lockCheckpoint, readCheckpoint } from './checkpoints';
import { DeadLetterPublisher } from './dead-letter';
import type { Decoded } from './decode';
import { decode } from './decode';
import type { PositionedEvent, Projection } from './projection';
import { ProjectorLock } from './projector-lock';
import type { SqlDatabase, SqlExecutor } from './sql';
import type { ProjectionStall } from './stall-watch';
import { StallWatch } from './stall-watch';

export interface ProjectionRunnerOptions {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly subjects: SubjectSpace;
  /** Owning service, part of the dead-letter subject. */
  readonly service: string;
  readonly stream: string;
  readonly filterSubject: string;
  readonly projection: Projection;
  readonly db: SqlDatabase;
  readonly clock?: HybridLogicalClock;
  readonly metrics?: BackboneMetrics;
  readonly logger?: BackboneLogger;
  /** Most events applied in one transaction. */
  readonly batchSize?: number;
  /** Attempts (deliveries plus local retries) before a failing event is dead-lettered. */
  readonly maxDeliver?: number;
  readonly ackWaitMs?: number;
  readonly retryDelayMs?: (attempt: number) => number;
  /** How often a standby instance retries to become the active projector. */
  readonly standbyPollMs?: number;
  /** How long it may fail to get past one sequence before it reports itself stalled. */
  readonly stallAfterMs?: number;
  /** Wall time in ms for stall detection (tests advance their own). */
  readonly now?: () => number;
}

export type RunnerStatus = 'idle' | 'standby' | 'active' | 'stopping' | 'stopped' | 'failed';

/** How often an idle active projector re-checks that it still holds its lock. */
const IDLE_FENCE_CHECK_MS = 5_000;

const defaultRetryDelay = (attempt: number) => Math.min(50 * 2 ** attempt, 2000);

/**
 * Feeds a durable pull consumer into a projection. Each batch is applied and its checkpoint
 * stored in one transaction, then acknowledged: at-least-once delivery, effectively-once effect.
 */
export class ProjectionRunner {
  private state: RunnerStatus = 'idle';
  private messages?: ConsumerMessages;
  private readonly queue: JsMsg[] = [];
  private wake?: () => void;
  private loop?: Promise<void>;
  private readonly lock: ProjectorLock;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly metrics: BackboneMetrics;
  private readonly logger: BackboneLogger;
  private readonly batchSize: number;
  private readonly maxDeliver: number;
  private readonly name: string;
  private consumerName = '';
  /** Highest stream sequence this instance saw committed: the one after it is where a stall sits. */
  private committedSeq = 0;
  private readonly stallWatch: StallWatch;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.name = options.projection.name;
    this.batchSize = options.batchSize ?? 100;
    this.maxDeliver = options.maxDeliver ?? 5;
    this.metrics = options.metrics ?? BackboneMetrics.for();
    this.logger = options.logger ?? silentLogger;
    this.lock = new ProjectorLock(options.db, this.name);
    this.deadLetters = new DeadLetterPublisher(options.js, options.subjects, options.service, this.name);
    this.stallWatch = new StallWatch(
      this.name,
      options.stallAfterMs ?? 30_000,
      options.now ?? Date.now,
      (stalled) => this.metrics.stalled.set({ projection: this.name }, stalled ? 1 : 0),
    );
  }

  /** Set when it has not got past one stream sequence for `stallAfterMs`. */
  get stall(): ProjectionStall | undefined {
    return this.stallWatch.check();
  }

  get status(): RunnerStatus {
    return this.state;
  }

  get projectionName(): string {
    return this.name;
  }

  async start(): Promise<void> {
    if (this.loop) return;
    this.state = 'standby';
    this.loop = this.run().catch((error) => {
      this.state = 'failed';
      this.logger.error('projection runner failed', { projection: this.name, error: String(error) });
    });
  }

  /** Graceful drain: stop pulling, finish the batch in hand, hand back what was not started. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.state = 'stopping';
    await this.messages?.close();
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    await this.lock.release();
    this.state = 'stopped';
  }

  private get running(): boolean {
    return this.state === 'standby' || this.state === 'active';
  }

  /**
   * Never gives up: any failure (fenced, database or NATS trouble, a DLQ that cannot be written)
   * hands the lock back, waits with a growing pause, and competes for it again, so a transient
   * fault never leaves a projection stopped until someone restarts the process.
   */
  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      if (!(await this.becomeActive())) continue;
      try {
        await this.consume();
        failures = 0;
      } catch (error) {
        failures++;
        if (this.blockedBy(this.committedSeq + 1, error)) {
          const log = error instanceof ProjectionFencedError ? this.logger.warn : this.logger.error;
          log.call(this.logger, 'projection paused; back to standby', {
            ...this.stallMeta(),
            reason: String(error),
            failures,
          });
        }
        await this.lock.release().catch(() => undefined);
      }
      this.releaseQueue();
      await this.messages?.close().catch(() => undefined);
      if (this.running) this.state = 'standby';
      if (failures > 0 && this.running)
        await sleep(Math.min((this.options.standbyPollMs ?? 1000) * 2 ** (failures - 1), 30_000));
    }
    this.releaseQueue();
  }

  private async becomeActive(): Promise<boolean> {
    try {
      if (await this.lock.tryAcquire()) {
        // stop() may have been called while we waited for the lock: give it straight back.
        if (this.state !== 'standby') {
          await this.lock.release();
          return false;
        }
        await this.positionConsumer();
        if (this.state !== 'standby') return false; // stopped meanwhile; stop() releases the lock
        this.state = 'active';
        return true;
      }
      // Another instance holds the projection: progress is its business, not ours.
      this.stallWatch.advanced();
    } catch (error) {
      if (this.blockedBy(this.committedSeq + 1, error)) {
        this.logger.warn('could not reach the database for the projector lock', {
          ...this.stallMeta(),
          error: String(error),
        });
      }
    }
    await sleep(this.options.standbyPollMs ?? 1000);
    return false;
  }

  /** Only the lock holder touches the consumer: a fresh one, right after the committed checkpoint. */
  private async positionConsumer(): Promise<void> {
    this.committedSeq = await readCheckpoint(this.options.db, this.name);
    this.consumerName = await takeOverDurableConsumer(this.options.jsm, {
      stream: this.options.stream,
      durable: projectionConsumerName(this.options.service, this.name),
      filterSubject: this.options.filterSubject,
      // Two batches: one being applied while the next is already on its way.
      maxAckPending: this.batchSize * 2,
      ackWaitMs: this.options.ackWaitMs ?? 30_000,
      startAfter: this.committedSeq,
    });
  }

  private async consume(): Promise<void> {
    const consumer = await this.options.js.consumers.get(this.options.stream, this.consumerName);
    // If a newer holder deletes our consumer, our pull loop must end rather than wait for it to return.
    const messages = await consumer.consume({
      max_messages: this.batchSize * 2,
      abort_on_missing_resource: true,
    });
    this.messages = messages;
    let pumping = true;
    const pump = (async () => {
      for await (const msg of messages) {
        this.queue.push(msg);
        this.wake?.();
      }
    })()
      // The iterator ends with an error when a newer holder deletes our consumer. That only ends this
      // loop; caught here at once, because a batch may fail first (fenced) and leave no one awaiting it.
      .catch(() => undefined)
      .finally(() => {
        pumping = false;
        this.wake?.();
      });
    try {
      while (this.state === 'active' && (pumping || this.queue.length > 0)) {
        if (this.queue.length === 0 && !(await this.nextArrival())) await this.checkStillHolder();
        const batch = this.queue.splice(0, this.batchSize);
        if (batch.length > 0) await this.processBatch(batch);
      }
    } finally {
      // Also when a batch throws: the pull subscription must not outlive this turn as holder.
      await messages.close().catch(() => undefined);
      await pump;
    }
    if (this.state === 'active') throw new ProjectionFencedError(`consumer ${this.consumerName} ended`);
  }

  /** Waits for a message or a wake-up; false when it came to nothing within the idle check period. */
  private nextArrival(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), IDLE_FENCE_CHECK_MS);
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  /** While idle, make sure we still hold the projection; a silent loser must not stay "active". */
  private async checkStillHolder(): Promise<void> {
    await this.options.db.transaction((tx) => this.lock.fence(tx));
    this.stallWatch.advanced();
  }

  private async processBatch(batch: JsMsg[]): Promise<void> {
    // Redeliveries (ack wait ran out) can sit behind newer messages; apply in stream order.
    const decoded = batch
      .map((msg) => decode(msg, this.options.projection))
      .sort((a, b) => a.msg.seq - b.msg.seq);
    const stopTimer = this.metrics.handlerSeconds.startTimer({ consumer: this.name });
    // A slow batch (a process manager's long reaction, a loaded database) must not outlive the ack
    // wait and come back as a redelivery while it is still being applied.
    const ackWaitMs = this.options.ackWaitMs ?? 30_000;
    const keepAlive = setInterval(
      () => decoded.forEach((item) => item.msg.working()),
      Math.max(ackWaitMs / 3, 100),
    );
    try {
      await this.options.db.transaction((tx) => this.applyAll(tx, decoded));
      this.committed(decoded);
    } catch (error) {
      if (error instanceof ProjectionFencedError) throw error;
      this.metrics.failed.inc({ consumer: this.name });
      await this.applyOneByOne(decoded);
    } finally {
      clearInterval(keepAlive);
      stopTimer();
      // Whatever was not applied (fenced, stopping) goes back now rather than after the ack wait;
      // messages already acknowledged ignore this.
      for (const item of decoded) item.msg.nak();
    }
  }

  /** Applies a batch after the fence and checkpoint checks; poison is dead-lettered in order. */
  private async applyAll(tx: SqlExecutor, batch: readonly Decoded[]): Promise<void> {
    await this.lock.fence(tx);
    const checkpoint = await lockCheckpoint(tx, this.name);
    const toApply: PositionedEvent[] = [];
    for (const item of batch) {
      if (item.msg.seq <= checkpoint) {
        this.metrics.skipped.inc({ consumer: this.name });
        continue;
      }
      if (item.kind === 'poison') await this.deadLetter(item.msg, item.reason, item.detail);
      if (item.kind === 'apply') toApply.push(this.positioned(item));
    }
    await this.applyEvents(tx, toApply);
    const highest = Math.max(...batch.map((item) => item.msg.seq));
    if (highest > checkpoint) await advanceCheckpoint(tx, this.name, highest);
  }

  private async applyEvents(tx: SqlExecutor, events: readonly PositionedEvent[]): Promise<void> {
    const { projection } = this.options;
    if (events.length === 0) return;
    if (projection.applyBatch) return projection.applyBatch(events, tx);
    for (const { event, position } of events) await projection.apply(event, tx, position);
  }

  private positioned(item: Extract<Decoded, { kind: 'apply' }>): PositionedEvent {
    this.observeClock(item.event.hlc);
    return {
      event: item.event,
      position: { stream: item.msg.info.stream, seq: item.msg.seq, subject: item.msg.subject },
    };
  }

  /** After a batch failed: find the failing event, retry it with backoff, then dead-letter it. */
  private async applyOneByOne(batch: readonly Decoded[]): Promise<void> {
    for (const item of batch) {
      if (!this.running) return;
      await this.applyWithRetries(item);
    }
  }

  private async applyWithRetries(item: Decoded): Promise<void> {
    for (let attempt = item.msg.info.deliveryCount; ; attempt++) {
      try {
        await this.options.db.transaction((tx) => this.applyAll(tx, [item]));
        this.committed([item]);
        return;
      } catch (error) {
        if (error instanceof ProjectionFencedError) throw error;
        this.metrics.failed.inc({ consumer: this.name });
        if (!(await this.databaseAnswers()))
          throw new ProjectionFencedError('database unavailable', { cause: error });
        if (attempt >= this.maxDeliver && !this.options.projection.stallInsteadOfDeadLetter) {
          await this.deadLetterInPlace(item, error);
          this.committedSeq = Math.max(this.committedSeq, item.msg.seq);
          this.stallWatch.advanced(); // moved past it: dead-lettered, not stuck
          return;
        }
        if (this.blockedBy(item.msg.seq, error)) this.logHandlerFailure(attempt, error);
        item.msg.working();
        await sleep(Math.min((this.options.retryDelayMs ?? defaultRetryDelay)(attempt), 30_000));
      }
    }
  }

  private async deadLetterInPlace(item: Decoded, error: unknown): Promise<void> {
    await this.options.db.transaction(async (tx) => {
      await this.lock.fence(tx);
      const checkpoint = await lockCheckpoint(tx, this.name);
      if (item.msg.seq > checkpoint) {
        await this.deadLetter(item.msg, 'handler-failed', String((error as Error)?.message ?? error));
        await advanceCheckpoint(tx, this.name, item.msg.seq);
      }
    });
    item.msg.term('dead-lettered');
  }

  private async deadLetter(
    msg: JsMsg,
    reason: Parameters<DeadLetterPublisher['publish']>[1],
    detail: string,
  ) {
    await this.deadLetters.publish(msg, reason, detail);
    this.metrics.deadLettered.inc({ consumer: this.name, reason });
    this.logger.warn('event dead-lettered', { projection: this.name, seq: msg.seq, reason, detail });
  }

  private committed(batch: readonly Decoded[]): void {
    this.committedSeq = Math.max(this.committedSeq, ...batch.map((item) => item.msg.seq));
    this.stallWatch.advanced();
    this.acknowledge(batch);
  }

  /** Counts a failure to get past `seq`; true when it is time for a log line (once per stall interval). */
  private blockedBy(seq: number, error: unknown): boolean {
    return this.stallWatch.failed(seq, String((error as Error)?.message ?? error));
  }

  /** A warning while it is retrying; an error once it has been stuck past the stall threshold. */
  private logHandlerFailure(attempt: number, error: unknown): void {
    const meta: Record<string, unknown> = { ...this.stallMeta(), attempt, error: String(error) };
    if (meta['stalled']) this.logger.error('projection stalled: handler keeps failing', meta);
    else this.logger.warn('projection handler failed; retrying', meta);
  }

  /** What a log line says about the stall: where, and whether it has lasted the threshold. */
  private stallMeta(): Record<string, unknown> {
    const stall = this.stallWatch.current();
    return stall
      ? {
          projection: this.name,
          seq: stall.seq,
          stalled: true,
          stalledForMs: stall.forMs,
          attempts: stall.attempts,
        }
      : { projection: this.name, seq: this.committedSeq + 1, stalled: false };
  }

  private acknowledge(batch: readonly Decoded[]): void {
    for (const item of batch) item.msg.ack();
    this.metrics.consumed.inc({ consumer: this.name }, batch.length);
    this.metrics.batchSize.observe({ consumer: this.name }, batch.length);
    const last = batch[batch.length - 1];
    if (last) this.metrics.lag.set({ consumer: this.name }, last.msg.info.pending);
  }

  private observeClock(hlc: string): void {
    try {
      this.options.clock?.receive(hlc);
    } catch {
      // The event is already durable; refusing it would stall the projection. The guard only
      // keeps a far-future stamp out of our clock, and the metric makes the skew visible.
      this.metrics.clockSkewRejections.inc({ consumer: this.name });
    }
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await this.options.db.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Messages fetched but not started go straight back to the server for the next projector. */
  private releaseQueue(): void {
    for (const msg of this.queue.splice(0)) msg.nak();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

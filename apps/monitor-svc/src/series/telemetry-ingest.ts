import type { BackboneLogger, SqlDatabase, SqlExecutor } from '@kailash/backbone';
import {
  advanceCheckpoint,
  DeadLetterPublisher,
  lockCheckpoint,
  ProjectionFencedError,
  projectionConsumerName,
  ProjectorLock,
  readCheckpoint,
  silentLogger,
  takeOverDurableConsumer,
} from '@kailash/backbone';
import type { DeadLetterReason } from '@kailash/backbone';
import type { MetricSample, SubjectSpace } from '@kailash/contracts';
import { isKailashError, metricsBatchSchema, parseWith, TELEMETRY_METRICS } from '@kailash/contracts';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { samplesOfBatch } from './batch-samples';
import type { PartitionPolicy } from './partitions';
import { assertInKeptWindow } from './sample-window';
import { writeSamples } from './sample-writer';
import type { SeriesScope } from './series-cache';
import { SeriesCache } from './series-cache';
import { TelemetryPuller } from './telemetry-pulls';

export const DEFAULT_INGEST_BATCH_SIZE = 1000;
/**
 * A pull's heartbeats come every half of its expiry and two missed ones fail it: a 1 s pull
 * fails whenever the server or this process stalls for a second, which a loaded shared host
 * does; 5 s rides that out and costs nothing when a backlog fills the pull at once.
 */
export const DEFAULT_PULL_EXPIRES_MS = 5000;

/** Checkpoint key and durable consumer name of the metrics ingest. */
export const TELEMETRY_INGEST = 'telemetry-metrics';

export interface TelemetryIngestOptions {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly subjects: SubjectSpace;
  readonly db: SqlDatabase;
  readonly service: string;
  readonly policy: PartitionPolicy;
  readonly nowMs: () => number;
  readonly logger?: BackboneLogger;
  readonly batchSize?: number;
  readonly ackWaitMs?: number;
  /** How often an instance that is not the active ingest tries to become it. */
  readonly standbyPollMs?: number;
  /** How long one pull waits for messages before it looks again (NATS wants at least 1 s). */
  readonly pullExpiresMs?: number;
}

export interface IngestOutcome {
  readonly applied: number;
  readonly skipped: number;
  readonly deadLettered: number;
  readonly samples: number;
}

type Decoded =
  | { readonly kind: 'samples'; readonly msg: JsMsg; readonly samples: MetricSample[] }
  | {
      readonly kind: 'poison';
      readonly msg: JsMsg;
      readonly reason: DeadLetterReason;
      readonly detail: string;
    };

interface PulledBatch {
  readonly messages: readonly JsMsg[];
  readonly decoded: readonly Decoded[];
}

/**
 * Agents' metrics batches from TELEMETRY into the series tables, exactly once in effect: each pull
 * is written with the stream sequence it reaches (the checkpoint) in one transaction, then
 * acknowledged. A redelivery at or below the checkpoint is skipped; a batch that cannot be parsed
 * or holds a sample no partition keeps goes to the DLQ with the field named.
 */
export class TelemetryIngest {
  private running = false;
  private loop?: Promise<void>;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly logger: BackboneLogger;
  /** One active ingest per database across replicas; the others wait on standby. */
  private readonly lock: ProjectorLock;
  /** Series already registered, so a pull writes only the rows of series it has not seen. */
  private readonly series = new SeriesCache();

  constructor(private readonly options: TelemetryIngestOptions) {
    this.lock = new ProjectorLock(options.db, TELEMETRY_INGEST);
    this.deadLetters = new DeadLetterPublisher(
      options.js,
      options.subjects,
      options.service,
      TELEMETRY_INGEST,
    );
    this.logger = options.logger ?? silentLogger;
  }

  start(): void {
    if (this.loop) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the pull in hand; what it did not commit is redelivered to the next instance. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = undefined;
    await this.lock.release();
  }

  /** Whether this instance is the one ingesting (holds the ingest lock). */
  get active(): boolean {
    return this.lock.held;
  }

  /** One transaction over a pull's messages: fresh ones written or dead-lettered, the checkpoint advanced. */
  async applyMessages(messages: readonly JsMsg[]): Promise<IngestOutcome> {
    return this.applyBatch(this.decodeAll(messages));
  }

  /** The messages in stream order, each parsed into samples or found poison. */
  private decodeAll(messages: readonly JsMsg[]): Decoded[] {
    return [...messages].sort((a, b) => a.seq - b.seq).map((msg) => this.decode(msg));
  }

  private async applyBatch(decoded: readonly Decoded[]): Promise<IngestOutcome> {
    if (!(await this.lock.tryAcquire()))
      throw new ProjectionFencedError(`another instance is the active ${TELEMETRY_INGEST} ingest`);
    return this.series.within((series) => this.applyDecoded(decoded, series));
  }

  private applyDecoded(decoded: readonly Decoded[], series: SeriesScope): Promise<IngestOutcome> {
    return this.options.db.transaction(async (tx) => {
      // An instance that lost its lock session must not commit after another one took over.
      await this.lock.fence(tx);
      const checkpoint = await lockCheckpoint(tx, TELEMETRY_INGEST);
      const fresh = decoded.filter((item) => item.msg.seq > checkpoint);
      for (const item of fresh) if (item.kind === 'poison') await this.deadLetter(item);
      const samples = fresh.flatMap((item) => (item.kind === 'samples' ? item.samples : []));
      await writeSamples(tx, samples, series);
      await this.advance(tx, fresh, checkpoint);
      return {
        applied: fresh.filter((item) => item.kind === 'samples').length,
        skipped: decoded.length - fresh.length,
        deadLettered: fresh.filter((item) => item.kind === 'poison').length,
        samples: samples.length,
      };
    });
  }

  private async advance(tx: SqlExecutor, fresh: readonly Decoded[], checkpoint: number): Promise<void> {
    const highest = Math.max(checkpoint, ...fresh.map((item) => item.msg.seq));
    if (highest > checkpoint) await advanceCheckpoint(tx, TELEMETRY_INGEST, highest);
  }

  private decode(msg: JsMsg): Decoded {
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(msg.data));
    } catch (error) {
      return { kind: 'poison', msg, reason: 'invalid-json', detail: (error as Error).message };
    }
    try {
      const batch = parseWith(metricsBatchSchema, raw, 'metrics batch');
      const samples = samplesOfBatch(batch);
      assertInKeptWindow(samples, this.options.policy, this.options.nowMs(), () => 'windowEnd');
      return { kind: 'samples', msg, samples };
    } catch (error) {
      const detail = isKailashError(error) ? error.message : String(error);
      return { kind: 'poison', msg, reason: 'invalid-data', detail };
    }
  }

  private async deadLetter(item: Extract<Decoded, { kind: 'poison' }>): Promise<void> {
    await this.deadLetters.publish(item.msg, item.reason, item.detail);
    this.logger.warn('metrics batch dead-lettered', {
      seq: item.msg.seq,
      reason: item.reason,
      detail: item.detail,
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    let puller: TelemetryPuller<PulledBatch> | undefined;
    while (this.running) {
      try {
        if (!(await this.lock.tryAcquire())) {
          await puller?.abandon();
          puller = undefined;
          await sleep(this.options.standbyPollMs ?? 1000);
          continue;
        }
        puller ??= await this.newPuller();
        await this.pullOnce(puller);
        failures = 0;
      } catch (error) {
        failures++;
        // Start again right after the committed checkpoint, with nothing fetched ahead held back.
        await puller?.abandon();
        puller = undefined;
        await this.lock.release().catch(() => undefined);
        this.logger.warn('metrics ingest failed; retrying', { error: String(error), failures });
        await sleep(Math.min(100 * 2 ** failures, 10_000));
      }
    }
    await puller?.abandon();
  }

  private async positionConsumer(): Promise<string> {
    const { jsm, subjects, service, db } = this.options;
    return takeOverDurableConsumer(jsm, {
      stream: subjects.telemetryStream(),
      durable: projectionConsumerName(service, TELEMETRY_INGEST),
      filterSubject: subjects.telemetryOfKind(TELEMETRY_METRICS),
      maxAckPending: this.batchSize * 2,
      ackWaitMs: this.options.ackWaitMs ?? 30_000,
      startAfter: await readCheckpoint(db, TELEMETRY_INGEST),
    });
  }

  private get batchSize(): number {
    return this.options.batchSize ?? DEFAULT_INGEST_BATCH_SIZE;
  }

  /** One batch: written with its checkpoint, then acknowledged; on failure handed back (nak). */
  private async pullOnce(puller: TelemetryPuller<PulledBatch>): Promise<void> {
    const { messages: pulled, decoded } = await puller.next();
    if (pulled.length === 0) return;
    try {
      await this.applyBatch(decoded);
    } catch (error) {
      for (const msg of pulled) msg.nak(500);
      throw error;
    }
    for (const msg of pulled) msg.ack();
  }

  private async newPuller(): Promise<TelemetryPuller<PulledBatch>> {
    const consumer = await this.options.js.consumers.get(
      this.options.subjects.telemetryStream(),
      await this.positionConsumer(),
    );
    return new TelemetryPuller(
      consumer,
      this.batchSize,
      this.options.pullExpiresMs ?? DEFAULT_PULL_EXPIRES_MS,
      (messages) => ({ messages, decoded: this.decodeAll(messages) }),
    );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

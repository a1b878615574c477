import type {
  BackboneLogger,
  BackboneMetrics,
  Projection,
  ProjectionStall,
  RunnerStatus,
  SqlDatabase,
} from '@kailash/backbone';
import { ProjectionRunner, readCheckpoint } from '@kailash/backbone';
import type { SubjectSpace } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import type { HybridLogicalClock } from '@kailash/hlc';
import type { JetStreamClient, JetStreamManager, MsgRequest } from '@nats-io/jetstream';
import type { ServiceStreams } from './service-streams';

export interface ProjectionRegistration {
  readonly projection: Projection;
  /** Domain whose stream feeds it, and optionally one aggregate type within it. */
  readonly domain: string;
  readonly aggregateType?: string;
  readonly batchSize?: number;
}

export interface ProjectionHostDeps {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly subjects: SubjectSpace;
  readonly db: SqlDatabase;
  readonly clock: HybridLogicalClock;
  readonly service: string;
  readonly logger: BackboneLogger;
  readonly metrics: BackboneMetrics;
  /** PROJECTION_STALL_MS: how long a projection may fail to advance before readiness turns 503. */
  readonly stallAfterMs?: number;
  /** Wall clock in ms for waitFor's deadline; injectable so tests never depend on real time. */
  readonly now?: () => number;
  /** Streams of other domains may not exist yet: a runner on one starts once its writer created it. */
  readonly streams?: Pick<ServiceStreams, 'present' | 'whenExists'>;
}

/** How often waitFor looks again while a projection is behind. */
const WAIT_POLL_MS = 10;
export const DEFAULT_WAIT_FOR_MS = 5_000;

/** Starts the service's projection runners after boot and drains them first at shutdown. */
export class ProjectionHost {
  private readonly runners: ProjectionRunner[] = [];
  private readonly feeds = new Map<string, { readonly stream: string; readonly filterSubject: string }>();
  private readonly streamOf = new Map<ProjectionRunner, string>();
  private stopped = false;

  constructor(private readonly deps: ProjectionHostDeps) {}

  register(registration: ProjectionRegistration): void {
    const { subjects } = this.deps;
    const feed = {
      stream: subjects.stream(registration.domain),
      filterSubject: subjects.events(registration.domain, registration.aggregateType),
    };
    this.feeds.set(registration.projection.name, feed);
    const runner = new ProjectionRunner({
      ...this.deps,
      ...feed,
      projection: registration.projection,
      batchSize: registration.batchSize ?? 200,
    });
    this.runners.push(runner);
    this.streamOf.set(runner, feed.stream);
  }

  async startAll(): Promise<void> {
    await Promise.all(this.runners.map((runner) => this.startOnceStreamExists(runner)));
  }

  /** Never creates the stream (its writer does): waits for it in the background, readiness down meanwhile. */
  private async startOnceStreamExists(runner: ProjectionRunner): Promise<void> {
    const { streams, logger } = this.deps;
    const stream = this.streamOf.get(runner) as string;
    if (!streams || (await streams.present(stream))) return runner.start();
    logger.warn('projection waits for its stream', { projection: runner.projectionName, stream });
    streams.whenExists(stream).then(
      () => (this.stopped ? undefined : runner.start()),
      (error: unknown) => {
        if (this.stopped) return;
        logger.error('projection not started: its stream never appeared', {
          projection: runner.projectionName,
          error: String(error),
        });
      },
    );
  }

  async stopAll(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  statuses(): Record<string, RunnerStatus> {
    return Object.fromEntries(this.runners.map((runner) => [runner.projectionName, runner.status]));
  }

  /** Projections that have not got past one stream sequence for the stall threshold. */
  stalls(): ProjectionStall[] {
    return this.runners
      .map((runner) => runner.stall)
      .filter((stall): stall is ProjectionStall => stall !== undefined);
  }

  /**
   * Resolves once `projection` has applied everything up to stream sequence `sequence` (or, with
   * 'latest', everything its stream holds now); UNAVAILABLE naming the projection after `timeoutMs`.
   *
   * A projection fed one aggregate type may never reach a sequence written to another subject, so
   * it is caught up when its checkpoint is at `sequence` OR the next message on its filter after
   * the checkpoint lies beyond `sequence` (or there is none): nothing it would apply is missing.
   */
  async waitFor(
    projection: string,
    sequence: number | 'latest',
    timeoutMs = DEFAULT_WAIT_FOR_MS,
  ): Promise<void> {
    const feed = this.feeds.get(projection);
    if (!feed) throw new Error(`no projection '${projection}' is registered with this host`);
    const now = this.deps.now ?? Date.now;
    const target =
      sequence === 'latest' ? (await this.deps.jsm.streams.info(feed.stream)).state.last_seq : sequence;
    const deadline = now() + timeoutMs;
    for (;;) {
      const checkpoint = await readCheckpoint(this.deps.db, projection);
      if (checkpoint >= target || !(await this.pendingUpTo(feed, checkpoint, target))) return;
      if (now() >= deadline)
        throw new KailashError(
          'UNAVAILABLE',
          `projection '${projection}' has not yet applied sequence ${target} (at ${checkpoint}); try again`,
          {
            projection,
            sequence: target,
            checkpoint,
          },
        );
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }

  /** Whether the projection's filter holds a message after `checkpoint` and at or before `target`. */
  private async pendingUpTo(
    feed: { stream: string; filterSubject: string },
    checkpoint: number,
    target: number,
  ): Promise<boolean> {
    const query = { seq: checkpoint + 1, next_by_subj: feed.filterSubject } as unknown as MsgRequest;
    const next = await this.deps.jsm.streams.getMessage(feed.stream, query);
    return next !== null && next.seq <= target;
  }
}

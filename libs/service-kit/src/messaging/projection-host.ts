import type { BackboneLogger, BackboneMetrics, Projection, ProjectionStall, RunnerStatus, SqlDatabase } from '@kailash/backbone';
import { ProjectionRunner } from '@kailash/backbone';
import type { SubjectSpace } from '@kailash/contracts';
import type { HybridLogicalClock } from '@kailash/hlc';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
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
  readonly now?: () => number;
  /** Streams of other domains may not exist yet: a runner on one starts once its writer created it. */
  readonly streams?: Pick<ServiceStreams, 'present' | 'whenExists'>;
}

/** Starts the service's projection runners after boot and drains them first at shutdown. */
export class ProjectionHost {
  private readonly runners: ProjectionRunner[] = [];
  private readonly streamOf = new Map<ProjectionRunner, string>();
  private stopped = false;

  constructor(private readonly deps: ProjectionHostDeps) {}

  register(registration: ProjectionRegistration): void {
    const { subjects } = this.deps;
    const runner = new ProjectionRunner({
      ...this.deps,
      stream: subjects.stream(registration.domain),
      filterSubject: subjects.events(registration.domain, registration.aggregateType),
      projection: registration.projection,
      batchSize: registration.batchSize ?? 200,
    });
    this.runners.push(runner);
    this.streamOf.set(runner, subjects.stream(registration.domain));
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
        logger.error('projection not started: its stream never appeared', { projection: runner.projectionName, error: String(error) });
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
    return this.runners.map((runner) => runner.stall).filter((stall): stall is ProjectionStall => stall !== undefined);
  }
}

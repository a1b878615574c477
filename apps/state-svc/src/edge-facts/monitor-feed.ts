import type { BackboneLogger, BackboneMetrics, RunnerStatus, SqlDatabase } from '@kailash/backbone';
import { ProjectionRunner } from '@kailash/backbone';
import type { SubjectSpace } from '@kailash/contracts';
import { MONITOR_DOMAIN, MONITOR_EDGE_AGGREGATE } from '@kailash/contracts';
import type { HybridLogicalClock } from '@kailash/hlc';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { edgeFactsProjection } from './edge-facts.projection';

export interface MonitorFeedDeps {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly subjects: SubjectSpace;
  readonly db: SqlDatabase;
  readonly clock: HybridLogicalClock;
  readonly service: string;
  readonly logger: BackboneLogger;
  readonly metrics: BackboneMetrics;
  /** How often to look for the MONITOR stream until monitor-svc has created it. */
  readonly lookEveryMs?: number;
}

/**
 * The durable consumer of monitoring's edge events, run by the backbone's projection runner (one
 * active instance, checkpoint in the apply transaction, poison to the DLQ). Unlike the service's own
 * projections it is not registered with the ProjectionHost: that host holds readiness down until
 * the stream exists, and state-svc must serve (placing on every active edge) where no monitor-svc
 * runs. It starts once monitor-svc has created the MONITOR stream.
 */
export class MonitorFeed {
  private readonly runner: ProjectionRunner;
  private readonly stream: string;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private started = false;

  constructor(private readonly deps: MonitorFeedDeps) {
    this.stream = deps.subjects.stream(MONITOR_DOMAIN);
    this.runner = new ProjectionRunner({
      ...deps,
      stream: this.stream,
      filterSubject: deps.subjects.events(MONITOR_DOMAIN, MONITOR_EDGE_AGGREGATE),
      projection: edgeFactsProjection,
      batchSize: 200,
    });
  }

  get status(): RunnerStatus | 'waiting-for-stream' {
    return this.started ? this.runner.status : 'waiting-for-stream';
  }

  get stall() {
    return this.runner.stall;
  }

  start(): void {
    void this.look();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.runner.stop();
  }

  private async look(): Promise<void> {
    if (this.stopped) return;
    if (await this.streamExists()) {
      this.started = true;
      await this.runner.start();
      return;
    }
    this.timer = setTimeout(() => void this.look(), this.deps.lookEveryMs ?? 2000);
    this.timer.unref();
  }

  private async streamExists(): Promise<boolean> {
    try {
      await this.deps.jsm.streams.info(this.stream);
      return true;
    } catch {
      return false;
    }
  }
}

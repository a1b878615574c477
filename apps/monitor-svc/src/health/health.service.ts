import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { EventPublisher } from '@kailash/backbone';
import type { EdgeHealth, GetHealthRequest, GetHealthResult } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import type { ServiceConfig } from '@kailash/service-kit';
import { SERVICE_CONFIG, ServiceClock, SQL_DATABASE } from '@kailash/service-kit';
import type { HealthConfig } from './health.config';
import { loadHealthConfig } from './health.config';
import { HealthEvaluator } from './health-evaluator';
import { HealthMetrics } from './health.metrics';
import type { StoredVerdict } from './health-store';
import { loadVerdicts } from './health-store';

/** Judges every edge each HEALTH_EVAL_MS on the service clock, and answers get_health from the stored verdicts. */
@Injectable()
export class EdgeHealthService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Health');
  readonly config: HealthConfig;
  private readonly evaluator: HealthEvaluator;
  private stopEvaluating?: () => void;
  private round?: Promise<void>;

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(SERVICE_CONFIG) serviceConfig: ServiceConfig,
    publisher: EventPublisher,
    private readonly clock: ServiceClock,
    metrics: HealthMetrics,
  ) {
    this.config = loadHealthConfig(serviceConfig.env);
    this.evaluator = new HealthEvaluator({
      db,
      publisher,
      config: this.config,
      nowMs: () => clock.nowMs(),
      observe: (statuses, entered) => metrics.observeRound(statuses, entered),
    });
  }

  onApplicationBootstrap(): void {
    this.stopEvaluating = this.clock.every(this.config.evaluateEveryMs, () => this.evaluate());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopEvaluating?.();
    await this.round?.catch(() => undefined);
  }

  /** One round; a round still running (a slow database) is joined, never doubled. */
  evaluate(): Promise<void> {
    this.round ??= this.evaluator
      .evaluateOnce()
      .then(() => undefined)
      .catch((error: unknown) => {
        this.logger.warn({ msg: 'health evaluation failed; the next round retries', error: String(error) });
      })
      .finally(() => (this.round = undefined));
    return this.round;
  }

  async get(request: GetHealthRequest): Promise<GetHealthResult> {
    const verdicts = await loadVerdicts(this.db, request);
    return { edges: verdicts.map(toEdgeHealth) };
  }

  async getEdge(edgeId: string): Promise<EdgeHealth> {
    const [verdict] = await loadVerdicts(this.db, { edgeId });
    if (!verdict) throw new KailashError('NOT_FOUND', `edgeId: no health of edge ${edgeId} (no samples yet)`);
    return toEdgeHealth(verdict);
  }
}

function toEdgeHealth(verdict: StoredVerdict): EdgeHealth {
  return {
    edgeId: verdict.edgeId,
    status: verdict.status,
    since: new Date(verdict.sinceMs).toISOString(),
    reasons: [...verdict.reasons],
    lastSampleAt: verdict.lastSampleMs === null ? null : new Date(verdict.lastSampleMs).toISOString(),
    evaluatedAt: new Date(verdict.evaluatedMs).toISOString(),
  };
}

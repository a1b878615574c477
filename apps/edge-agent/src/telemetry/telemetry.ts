import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Heartbeat, MetricsBatch, SubjectSpace } from '@kailash/contracts';
import {
  heartbeatSchema,
  metricsBatchSchema,
  TELEMETRY_HEARTBEAT,
  TELEMETRY_METRICS,
} from '@kailash/contracts';
import { METRICS_REGISTRY, NATS_CONNECTION, SUBJECTS } from '@kailash/service-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import type { AgentConfig } from '../config/agent-config';
import { AGENT_CONFIG } from '../config/agent-config';
import { FunctionWorkloads } from '../functions/function-workloads';
import { KvService } from '../kv/kv.service';
import { AgentState } from '../work/agent-state';
import { HostSampler } from './host-sampler';

/**
 * Heartbeats on `<ns>.telemetry.heartbeat.<edgeId>` and metrics batches on
 * `<ns>.telemetry.metrics.<edgeId>` (stream TELEMETRY), each numbered from 1 per process. Every
 * message is checked against its contract before it leaves. The same figures feed /metrics.
 */
@Injectable()
export class Telemetry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Telemetry');
  private readonly sampler: HostSampler;
  private readonly startedAt = Date.now();
  private heartbeats = 0;
  private batches = 0;
  private windowStart = new Date();
  private timers: NodeJS.Timeout[] = [];
  private readonly published: Counter<'kind'>;
  private readonly warm: Gauge<'workload'>;
  private readonly coldStarts: Counter<'workload'>;
  private readonly requests: Counter<'workload'>;

  constructor(
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SUBJECTS) private readonly subjects: SubjectSpace,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly state: AgentState,
    private readonly functions: FunctionWorkloads,
    private readonly kv: KvService,
  ) {
    this.sampler = new HostSampler(config.dataDir);
    const registers = [registry];
    this.published = new Counter({
      name: 'kailash_agent_telemetry_published_total',
      help: 'Heartbeats and metrics batches this agent published',
      labelNames: ['kind'],
      registers,
    });
    this.warm = new Gauge({
      name: 'kailash_agent_warm_instances',
      help: 'Warm instances per function workload at the last metrics batch',
      labelNames: ['workload'],
      registers,
    });
    this.coldStarts = new Counter({
      name: 'kailash_agent_cold_starts_total',
      help: 'Invocations that paid a cold start',
      labelNames: ['workload'],
      registers,
    });
    this.requests = new Counter({
      name: 'kailash_agent_workload_requests_total',
      help: 'Requests served per workload (function invocations, KV operations)',
      labelNames: ['workload'],
      registers,
    });
  }

  onApplicationBootstrap(): void {
    this.every(this.config.heartbeatIntervalMs, () => this.heartbeat());
    this.every(this.config.metricsIntervalMs, () => this.metrics());
  }

  /** A last heartbeat (draining) and batch, so monitoring sees the end rather than silence. */
  beforeApplicationShutdown(): void {
    this.timers.forEach(clearInterval);
    this.heartbeat();
    this.metrics();
    this.sampler.stop();
  }

  private every(ms: number, work: () => void): void {
    const timer = setInterval(work, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private heartbeat(): void {
    const heartbeat: Heartbeat = {
      edgeId: this.config.edgeId,
      instanceId: this.config.instanceId,
      sequence: ++this.heartbeats,
      sentAt: new Date().toISOString(),
      lifecycle: this.state.draining ? 'draining' : (this.state.lifecycle ?? 'initialized'),
      fencingToken: this.state.fencingToken(),
      uptimeMs: Date.now() - this.startedAt,
    };
    this.publish(TELEMETRY_HEARTBEAT, () => heartbeatSchema.parse(heartbeat));
  }

  private metrics(): void {
    const windowEnd = new Date();
    const workloads = [...this.functions.takeMetrics(), ...this.kv.takeMetrics()];
    const batch: MetricsBatch = {
      edgeId: this.config.edgeId,
      instanceId: this.config.instanceId,
      sequence: ++this.batches,
      windowStart: this.windowStart.toISOString(),
      windowEnd: windowEnd.toISOString(),
      ...this.sampler.sample(),
      workloads,
    };
    this.windowStart = windowEnd;
    for (const workload of workloads) {
      this.requests.inc({ workload: workload.workloadId }, workload.requests);
      if (workload.kind === 'function') {
        this.coldStarts.inc({ workload: workload.workloadId }, workload.coldStarts);
        this.warm.set({ workload: workload.workloadId }, workload.warmInstances);
      }
    }
    this.publish(TELEMETRY_METRICS, () => metricsBatchSchema.parse(batch));
  }

  /** Checked against its contract first; a message that fails is logged, never thrown out of a timer. */
  private publish(kind: string, message: () => unknown): void {
    if (this.nc.isClosed()) return;
    try {
      this.nc.publish(this.subjects.telemetry(kind, this.config.edgeId), JSON.stringify(message()));
      this.published.inc({ kind });
    } catch (error) {
      this.logger.warn({ msg: 'telemetry not published', kind, error: String(error) });
    }
  }
}

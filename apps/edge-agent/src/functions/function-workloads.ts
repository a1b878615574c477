import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FunctionSpec, WorkloadMetrics, WorkloadSpec, WorkloadView } from '@kailash/contracts';
import { KailashError, notFound } from '@kailash/contracts';
import { ServiceClock } from '@kailash/service-kit';
import { WorkloadStats } from '../telemetry/workload-stats';
import { FunctionInstance } from './function-instance';
import { WorkloadCatalog } from './workload-catalog';

interface FunctionWorkload {
  readonly spec: FunctionSpec;
  readonly instances: Set<FunctionInstance>;
  readonly stats: WorkloadStats;
  started: number;
}

export interface Invocation {
  readonly coldStart: boolean;
  readonly durationMs: number;
  readonly instance: string;
}

/** The clock keep-alives are judged on; tests drive it by hand. */
export type WorkloadClock = Pick<ServiceClock, 'nowMs' | 'every'>;

/** How often idle instances past their keep-alive are freed when nothing asks for the workload. */
export const EXPIRY_SWEEP_MS = 1_000;

const sleep = (ms: number) =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

/**
 * Function workloads with cold and warm instances. An invocation takes an idle warm instance if
 * there is one; otherwise it starts one and pays the workload's init time and memory. A finished
 * instance stays warm for its keep-alive, then is dropped and its memory freed.
 *
 * Expiry is a deadline on the clock, checked wherever an instance could be taken or counted, not
 * a timer: a timer runs late when the event loop is busy or the process was paused, and until it
 * ran an instance past its keep-alive was still served warm (a cache hit the policy forbids). The
 * periodic sweep only frees the memory of workloads nobody asks for.
 */
@Injectable()
export class FunctionWorkloads implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Functions');
  private readonly workloads = new Map<string, FunctionWorkload>();
  private stopSweep: (() => void) | undefined;

  constructor(
    catalog: WorkloadCatalog,
    @Inject(ServiceClock) private readonly clock: WorkloadClock,
  ) {
    const add = (spec: WorkloadSpec) => {
      if (spec.kind === 'function')
        this.workloads.set(spec.id, {
          spec,
          instances: new Set(),
          stats: new WorkloadStats(spec.id, 'function'),
          started: 0,
        });
    };
    catalog.all().forEach(add);
    catalog.onDeploy(add);
  }

  onModuleInit(): void {
    this.stopSweep = this.clock.every(EXPIRY_SWEEP_MS, async () => this.sweep());
  }

  onApplicationShutdown(): void {
    this.stopSweep?.();
  }

  /** Drops every idle instance past its keep-alive now. */
  sweep(): void {
    const now = this.clock.nowMs();
    for (const workload of this.workloads.values()) this.expire(workload, now);
  }

  /** One workload's view (undefined if it is not a function workload of this edge). */
  viewOf(workloadId: string): WorkloadView | undefined {
    const workload = this.workloads.get(workloadId);
    return workload && this.view(workload);
  }

  has(workloadId: string): boolean {
    return this.workloads.has(workloadId);
  }

  /** Starts each workload's declared `prewarm` instances (during warming). */
  async warmDeclared(): Promise<void> {
    await Promise.all(
      [...this.workloads.values()]
        .filter(({ spec }) => spec.prewarm > 0)
        .map(({ spec }) => this.prewarm(spec.id, spec.prewarm)),
    );
  }

  async invoke(workloadId: string): Promise<Invocation> {
    const workload = this.workload(workloadId);
    this.expire(workload, this.clock.nowMs());
    const started = performance.now();
    let coldStart = false;
    let instance = [...workload.instances].find((candidate) => !candidate.busy);
    try {
      if (instance) instance.take();
      else {
        instance = await this.start(workload);
        coldStart = true;
      }
      await sleep(workload.spec.execMs);
      const durationMs = performance.now() - started;
      workload.stats.record({ ms: durationMs, ok: true, cold: coldStart, hit: !coldStart });
      return { coldStart, durationMs, instance: instance.name };
    } catch (error) {
      workload.stats.record({ ms: performance.now() - started, ok: false, cold: coldStart });
      throw error;
    } finally {
      if (instance) this.idle(workload, instance);
    }
  }

  /** Starts instances until `instances` are warm (at most maxInstances); they stay warm `ttlMs` idle. */
  async prewarm(workloadId: string, instances: number, ttlMs?: number): Promise<WorkloadView> {
    const workload = this.workload(workloadId);
    const now = this.clock.nowMs();
    this.expire(workload, now);
    const keepAliveMs = ttlMs ?? workload.spec.keepAliveMs;
    // A busy instance counts as warm here, so it takes the ttl too: it is idle for ttlMs once its
    // invocation ends, not for the workload's shorter keep-alive.
    for (const instance of workload.instances) {
      instance.keepAliveMs = keepAliveMs;
      if (!instance.busy) instance.idleFrom(now);
    }
    const missing = Math.max(0, Math.min(instances, workload.spec.maxInstances) - workload.instances.size);
    const fresh = await Promise.all(Array.from({ length: missing }, () => this.start(workload, keepAliveMs)));
    fresh.forEach((instance) => this.idle(workload, instance));
    return this.view(workload);
  }

  /** Drops every idle instance now; a busy one finishes its invocation and then expires as usual. */
  cool(workloadId: string): WorkloadView {
    const workload = this.workload(workloadId);
    for (const instance of workload.instances) {
      if (!instance.busy) this.remove(workload, instance);
    }
    return this.view(workload);
  }

  views(): WorkloadView[] {
    return [...this.workloads.values()].map((workload) => this.view(workload));
  }

  takeMetrics(): WorkloadMetrics[] {
    this.sweep();
    return [...this.workloads.values()].map((workload) => {
      const idle = [...workload.instances].filter((instance) => !instance.busy);
      return workload.stats.take({
        warmInstances: workload.instances.size,
        idleWarmMemoryBytes: idle.reduce((sum, instance) => sum + instance.memoryBytes, 0),
      });
    });
  }

  private async start(
    workload: FunctionWorkload,
    keepAliveMs = workload.spec.keepAliveMs,
  ): Promise<FunctionInstance> {
    if (workload.instances.size >= workload.spec.maxInstances)
      throw new KailashError(
        'UNAVAILABLE',
        `workload '${workload.spec.id}' is at its ${workload.spec.maxInstances} instances`,
        {
          workloadId: workload.spec.id,
        },
      );
    const instance = new FunctionInstance(
      `${workload.spec.id}-${++workload.started}`,
      workload.spec.memoryMb,
      keepAliveMs,
    );
    instance.take();
    workload.instances.add(instance);
    try {
      await sleep(workload.spec.initMs);
    } catch (error) {
      this.remove(workload, instance);
      throw error;
    }
    return instance;
  }

  private idle(workload: FunctionWorkload, instance: FunctionInstance): void {
    if (workload.instances.has(instance)) instance.idleFrom(this.clock.nowMs());
  }

  private expire(workload: FunctionWorkload, now: number): void {
    for (const instance of workload.instances) {
      if (instance.expiredAt(now)) this.remove(workload, instance);
    }
  }

  private remove(workload: FunctionWorkload, instance: FunctionInstance): void {
    instance.drop();
    workload.instances.delete(instance);
    this.logger.debug({ msg: 'instance dropped', instance: instance.name });
  }

  private workload(workloadId: string): FunctionWorkload {
    const workload = this.workloads.get(workloadId);
    if (!workload) throw notFound('function workload', workloadId);
    return workload;
  }

  private view(workload: FunctionWorkload): WorkloadView {
    this.expire(workload, this.clock.nowMs());
    const { spec, instances } = workload;
    const busy = [...instances].filter((instance) => instance.busy).length;
    return {
      workloadId: spec.id,
      kind: 'function',
      warmInstances: instances.size - busy,
      busyInstances: busy,
      initMs: spec.initMs,
      memoryMb: spec.memoryMb,
      keepAliveMs: spec.keepAliveMs,
      owner: null,
    };
  }
}

import { Injectable, Logger } from '@nestjs/common';
import type { FunctionSpec, WorkloadMetrics, WorkloadSpec, WorkloadView } from '@kailash/contracts';
import { KailashError, notFound } from '@kailash/contracts';
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

const sleep = (ms: number) =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

/**
 * Function workloads with cold and warm instances. An invocation takes an idle warm instance if
 * there is one; otherwise it starts one and pays the workload's init time and memory. A finished
 * instance stays warm for its keep-alive, then is dropped and its memory freed.
 */
@Injectable()
export class FunctionWorkloads {
  private readonly logger = new Logger('Functions');
  private readonly workloads = new Map<string, FunctionWorkload>();

  constructor(catalog: WorkloadCatalog) {
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
      if (instance) this.idle(workload, instance, workload.spec.keepAliveMs);
    }
  }

  /** Starts instances until `instances` are warm (at most maxInstances); they stay warm `ttlMs` idle. */
  async prewarm(workloadId: string, instances: number, ttlMs?: number): Promise<WorkloadView> {
    const workload = this.workload(workloadId);
    const idleNow = [...workload.instances].filter((instance) => !instance.busy);
    idleNow.forEach((instance) => this.idle(workload, instance, ttlMs ?? workload.spec.keepAliveMs));
    const missing = Math.max(0, Math.min(instances, workload.spec.maxInstances) - workload.instances.size);
    const fresh = await Promise.all(Array.from({ length: missing }, () => this.start(workload)));
    fresh.forEach((instance) => this.idle(workload, instance, ttlMs ?? workload.spec.keepAliveMs));
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
    return [...this.workloads.values()].map((workload) => {
      const idle = [...workload.instances].filter((instance) => !instance.busy);
      return workload.stats.take({
        warmInstances: workload.instances.size,
        idleWarmMemoryBytes: idle.reduce((sum, instance) => sum + instance.memoryBytes, 0),
      });
    });
  }

  private async start(workload: FunctionWorkload): Promise<FunctionInstance> {
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

  private idle(workload: FunctionWorkload, instance: FunctionInstance, keepAliveMs: number): void {
    if (!workload.instances.has(instance)) return;
    instance.busy = false;
    instance.idleFor(keepAliveMs, () => this.remove(workload, instance));
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

  private view({ spec, instances }: FunctionWorkload): WorkloadView {
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

import type { OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import type { KvEntry, WorkloadMetrics, WorkloadSpec } from '@kailash/contracts';
import { KailashError, notFound } from '@kailash/contracts';
import { ReadinessProbes } from '@kailash/service-kit';
import type { AgentConfig } from '../config/agent-config';
import { AGENT_CONFIG } from '../config/agent-config';
import { WorkloadCatalog } from '../functions/workload-catalog';
import { Ownership } from '../ownership/ownership';
import { WorkloadStats } from '../telemetry/workload-stats';
import { AgentState } from '../work/agent-state';
import { KvStore } from './kv-store';

/** The KV use cases for REST and NATS: admitted by the agent's state, owned here, timed per store. */
@Injectable()
export class KvService implements OnApplicationShutdown {
  private readonly store: KvStore;
  private readonly stats = new Map<string, WorkloadStats>();

  constructor(
    @Inject(AGENT_CONFIG) config: AgentConfig,
    catalog: WorkloadCatalog,
    private readonly state: AgentState,
    private readonly ownership: Ownership,
    probes: ReadinessProbes,
  ) {
    this.store = new KvStore(config.dataDir);
    const add = (spec: WorkloadSpec) => {
      if (spec.kind === 'kv') this.stats.set(spec.id, new WorkloadStats(spec.id, 'kv'));
    };
    catalog.all().forEach(add);
    catalog.onDeploy(add);
    probes.register('store', () => ({ up: this.store.isOpen }));
  }

  onApplicationShutdown(): void {
    this.store.close();
  }

  get(store: string, key: string): Promise<KvEntry> {
    return this.run(store, () => {
      const entry = this.store.get(store, key);
      if (!entry) throw notFound('key', key);
      return entry;
    });
  }

  put(store: string, key: string, value: unknown): Promise<{ key: string; version: number }> {
    return this.run(store, () => ({ key, version: this.store.put(store, key, value) }));
  }

  compareAndSet(store: string, key: string, expectedVersion: number, value: unknown) {
    return this.run(store, () => {
      const outcome = this.store.compareAndSet(store, key, expectedVersion, value);
      if (!outcome.ok) throw versionConflict(key, expectedVersion, outcome.current);
      return { key, version: outcome.version };
    });
  }

  delete(store: string, key: string, expectedVersion?: number) {
    return this.run(store, () => {
      const outcome = this.store.delete(store, key, expectedVersion);
      if (!outcome.ok) throw versionConflict(key, expectedVersion ?? 0, outcome.current);
      return { key, deleted: outcome.existed === true, version: outcome.version };
    });
  }

  scan(store: string, options: { prefix?: string; after?: string; limit: number }) {
    return this.run(store, () => this.store.scan(store, options));
  }

  takeMetrics(): WorkloadMetrics[] {
    return [...this.stats.values()].map((stats) => stats.take({ warmInstances: 0, idleWarmMemoryBytes: 0 }));
  }

  private async run<T>(store: string, work: () => T): Promise<T> {
    const stats = this.stats.get(store);
    if (!stats) throw notFound('kv store', store);
    this.ownership.assertOwned(store);
    const started = performance.now();
    try {
      const result = await this.state.admit(work);
      stats.record({ ms: performance.now() - started, ok: true });
      return result;
    } catch (error) {
      const expected = error instanceof KailashError && ANSWERS.has(error.code);
      stats.record({ ms: performance.now() - started, ok: expected });
      throw error;
    }
  }
}

/** Answers that are the store working as asked (absent key, failed precondition), not errors of it. */
const ANSWERS = new Set<string>(['NOT_FOUND', 'PRECONDITION_FAILED']);

/** A failed compare-and-set: the same code state-svc answers for a stale expected version. */
const versionConflict = (key: string, expected: number, current: number) =>
  new KailashError('PRECONDITION_FAILED', `key '${key}' is at version ${current}, not ${expected}`, {
    reason: 'version-mismatch',
    key,
    expectedVersion: expected,
    currentVersion: current,
  });

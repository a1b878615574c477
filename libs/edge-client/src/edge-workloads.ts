import type { GeoPoint, RequestDefinition } from '@kailash/contracts';
import type { kvValueSchema } from '@kailash/contracts';
import { InvokeWorkload, KvCompareAndSet, KvDelete, KvGet, KvPut, parseWith } from '@kailash/contracts';
import type { z } from 'zod';
import type { EdgeClient } from './edge-client';
import type { Target } from './routing';

/** Any JSON value (a key's value, a function's payload). */
export type JsonValue = z.input<typeof kvValueSchema>;

/** Where a function call comes from: placement ranks the edges for this point and country. */
export interface CallerLocation {
  readonly location: GeoPoint;
  /** ISO 3166-1 alpha-2; with personal data, residency rules (GDPR for EU subjects) filter the edges. */
  readonly country?: string;
}

/**
 * The agent's workloads as typed calls: each request is checked against its contract before it
 * leaves (a bad key fails here, naming the field) and each answer after it arrives.
 */
export class EdgeWorkloads {
  constructor(private readonly client: EdgeClient) {}

  get(store: string, key: string) {
    return this.send(keyTarget(store, key), KvGet, { store, key });
  }

  put(store: string, key: string, value: JsonValue) {
    return this.send(keyTarget(store, key), KvPut, { store, key, value });
  }

  /**
   * Writes only if the key is still at `expectedVersion` (0: only if it does not exist); otherwise
   * rejects with `PRECONDITION_FAILED` (`details.currentVersion`), as state-svc does for a stale version.
   */
  compareAndSet(store: string, key: string, expectedVersion: number, value: JsonValue) {
    return this.send(keyTarget(store, key), KvCompareAndSet, { store, key, expectedVersion, value });
  }

  /** With `expectedVersion`, deletes only at that version (`PRECONDITION_FAILED` otherwise). */
  delete(store: string, key: string, expectedVersion?: number) {
    return this.send(keyTarget(store, key), KvDelete, {
      store,
      key,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
    });
  }

  invoke(workloadId: string, caller: CallerLocation, payload?: JsonValue) {
    const target: Target = {
      kind: 'function',
      workload: workloadId,
      client: caller.location,
      ...(caller.country ? { country: caller.country } : {}),
    };
    return this.send(target, InvokeWorkload, { workloadId, ...(payload === undefined ? {} : { payload }) });
  }

  private async send<D extends RequestDefinition>(
    target: Target,
    definition: D,
    data: z.input<D['data']>,
  ): Promise<{ readonly result: z.output<D['result']>; readonly edgeId: string }> {
    const checked = parseWith(definition.data, data, `${definition.name} request`);
    const outcome = await this.client.call(target, definition.name, checked);
    return {
      result: parseWith<D['result']>(definition.result, outcome.result, `${definition.name} result`),
      edgeId: outcome.edgeId,
    };
  }
}

const keyTarget = (store: string, key: string): Target => ({ kind: 'key', store, key });

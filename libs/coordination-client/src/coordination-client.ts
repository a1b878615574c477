import type { RequestClient, SendOptions } from '@kailash/backbone';
import type {
  CoordClusterView,
  CoordKeyValue,
  CoordTxnRequest,
  CoordWatchEvent,
  RequestDefinition,
} from '@kailash/contracts';
import {
  CoordAddLearner,
  CoordClusterStatus,
  CoordDelete,
  CoordGet,
  CoordPromote,
  CoordPut,
  CoordRange,
  CoordRemoveMember,
  CoordTransferLeader,
  CoordTxn,
  CoordWatch,
} from '@kailash/contracts';
import type { z } from 'zod';
import type { RetryPolicy } from './retry-policy';
import { DEFAULT_RETRY_POLICY, withRetries } from './retry-policy';
import { ClientSession } from './session';

export type Consistency = 'linearizable' | 'serializable';

export interface CoordinationClientOptions {
  /** Session client id; random by default. Reuse one only within one process at a time. */
  readonly clientId?: string;
  readonly retry?: Partial<RetryPolicy>;
  /** Told about every retried attempt (metrics, logs). */
  readonly onRetry?: (operation: string, error: unknown) => void;
}

export interface WatchOptions {
  readonly prefix?: boolean;
  /** First revision to deliver (default: the next change after the watch starts). */
  readonly fromRevision?: number;
  /** Long-poll window of each request (default 10 s). */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * The coordination group as a client sees it: one object for the whole group. Requests go to the
 * group's NATS subjects, where any replica answers and forwards writes to the leader; while there
 * is no leader (an election) or the leader just died, the client retries with short backoff, and
 * every write keeps its session sequence across retries, so it is applied exactly once.
 */
export class CoordinationClient {
  readonly session: ClientSession;
  private readonly policy: RetryPolicy;

  constructor(
    private readonly requests: RequestClient,
    private readonly options: CoordinationClientOptions = {},
  ) {
    this.session = new ClientSession(options.clientId);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  put(key: string, value: string) {
    return this.write(CoordPut, (session) => ({ key, value, session }));
  }

  delete(key: string, options: { prefix?: boolean } = {}) {
    return this.write(CoordDelete, (session) => ({ key, ...options, session }));
  }

  /** Compare-and-set and friends: `compare` all hold → `success` ops, else `failure` ops, atomically. */
  txn(request: Omit<CoordTxnRequest, 'session'>) {
    return this.write(CoordTxn, (session) => ({ ...request, session }));
  }

  /** Sets `key` to `value` only if its value is `expected` (`null`: only if it does not exist). */
  async compareAndSet(key: string, expected: string | null, value: string): Promise<boolean> {
    const compare =
      expected === null
        ? { key, target: 'version' as const, op: '==' as const, value: 0 }
        : { key, target: 'value' as const, op: '==' as const, value: expected };
    const result = await this.txn({
      compare: [compare],
      success: [{ type: 'put', key, value }],
      failure: [],
    });
    return result.succeeded;
  }

  async get(key: string, consistency: Consistency = 'linearizable'): Promise<CoordKeyValue | null> {
    return (await this.getWithRevision(key, consistency)).kv;
  }

  getWithRevision(key: string, consistency: Consistency = 'linearizable') {
    return this.read(CoordGet, { key, consistency });
  }

  range(prefix: string, options: { limit?: number; consistency?: Consistency } = {}) {
    return this.read(CoordRange, { prefix, ...options });
  }

  cluster(): Promise<CoordClusterView> {
    return this.read(CoordClusterStatus, {});
  }

  addLearner(nodeId: number) {
    return this.admin(CoordAddLearner, nodeId);
  }

  promote(nodeId: number) {
    return this.admin(CoordPromote, nodeId);
  }

  removeMember(nodeId: number) {
    return this.admin(CoordRemoveMember, nodeId);
  }

  transferLeadership(nodeId: number) {
    return this.admin(CoordTransferLeader, nodeId);
  }

  /**
   * Changes of a key (or prefix) as an async stream, from `fromRevision` on. It survives replica
   * failures and reconnects: each poll asks for what follows the last revision delivered. Throws
   * if the history it needs was compacted away (re-read the key, then watch from its revision).
   */
  async *watch(key: string, options: WatchOptions = {}): AsyncGenerator<CoordWatchEvent> {
    let from = options.fromRevision ?? (await this.getWithRevision(key)).revision + 1;
    const waitMs = options.pollMs ?? 10_000;
    while (!options.signal?.aborted) {
      const result = await this.read(
        CoordWatch,
        { key, prefix: options.prefix ?? false, fromRevision: from, waitMs },
        waitMs + this.policy.attemptTimeoutMs,
      );
      if (result.compacted)
        throw new Error(
          `watch of ${key} from revision ${from}: history compacted up to ${result.compactedRevision}`,
        );
      for (const event of result.events) {
        if (event.revision < from) continue;
        yield event;
        from = event.revision + 1;
      }
    }
  }

  private async write<D extends RequestDefinition>(
    definition: D,
    data: (session: ReturnType<ReturnType<ClientSession['begin']>['session']>) => z.input<D['data']>,
  ): Promise<z.output<D['result']>> {
    const write = this.session.begin();
    try {
      const payload = data(write.session());
      return await this.attempt(definition, payload);
    } finally {
      write.done();
    }
  }

  private read<D extends RequestDefinition>(
    definition: D,
    data: z.input<D['data']>,
    attemptTimeoutMs?: number,
  ) {
    return this.attempt(definition, data, attemptTimeoutMs);
  }

  private admin<D extends RequestDefinition>(definition: D, nodeId: number): Promise<z.output<D['result']>> {
    return this.attempt(definition, { nodeId } as z.input<D['data']>, 10_000);
  }

  private attempt<D extends RequestDefinition>(
    definition: D,
    data: z.input<D['data']>,
    attemptTimeoutMs?: number,
  ): Promise<z.output<D['result']>> {
    const policy = attemptTimeoutMs
      ? {
          ...this.policy,
          attemptTimeoutMs,
          deadlineMs: Math.max(this.policy.deadlineMs, attemptTimeoutMs * 2),
        }
      : this.policy;
    return withRetries(
      policy,
      (timeoutMs) => this.requests.send(definition, data, { timeoutMs } satisfies SendOptions),
      (error) => this.options.onRetry?.(definition.name, error),
    );
  }
}

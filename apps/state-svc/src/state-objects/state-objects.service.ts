import { Inject, Injectable } from '@nestjs/common';
import type { AggregateStore, CommandResult, SqlDatabase } from '@kailash/backbone';
import type {
  StateAppendBody,
  StateAppendResult,
  StateDeleteBody,
  StateDeleteResult,
  StateFence,
  StateIncrementBody,
  StateIncrementResult,
  StateKeyView,
  StateLockBody,
  StateLockResult,
  StateObjectEvent,
  StateObjectView,
  StateSetBody,
  StateSetResult,
  StateUnlockBody,
  StateUnlockResult,
  StateUpdateBody,
  StateUpdateResult,
} from '@kailash/contracts';
import { isKailashError, notFound, STATE_OBJECT_AGGREGATE } from '@kailash/contracts';
import { AggregateStores, ServiceClock, SQL_DATABASE } from '@kailash/service-kit';
import { EdgesReadPort } from '../edges/edges.read-port';
import type { OwnerMove } from './ownership';
import { planRehoming } from './ownership';
import type { StateObject, StateObjectState } from './state-object';
import { evolve, initialState, own } from './state-object';
import type { StateObjectCommand, StateObjectOperation } from './state-object.decide';
import { decide } from './state-object.decide';
import { StateObjectsMetrics } from './state-objects.metrics';
import { findSnapshot, objectsToRehome, toKeyView, toView } from './state-objects.read-model';

/**
 * A hot object (a shared counter, a contended lock) sees many writers at once; each conflict
 * costs one reload, so allow more rounds than the backbone default before answering CONFLICT.
 */
const MAX_ATTEMPTS = 32;

interface Options {
  readonly fence?: StateFence;
  readonly correlationId?: string;
  /** Candidate owners; read from the edges table when not given. */
  readonly activeEdges?: readonly string[];
}

interface Outcome {
  readonly before: StateObjectState;
  readonly after: StateObject;
  readonly result: CommandResult<StateObjectState>;
}

/** The state object use cases, shared by the REST controller, the NATS handlers and the ownership process. */
@Injectable()
export class StateObjectsService {
  private readonly objects: AggregateStore<StateObjectState, StateObjectCommand, StateObjectEvent>;

  constructor(
    stores: AggregateStores,
    private readonly metrics: StateObjectsMetrics,
    private readonly edges: EdgesReadPort,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly clock: ServiceClock,
  ) {
    this.objects = stores.create<StateObjectState, StateObjectCommand, StateObjectEvent>({
      type: STATE_OBJECT_AGGREGATE,
      initialState,
      evolve,
      decide,
      // The projection row is the snapshot: a counter incremented a million times loads in one row and a short tail.
      load: { kind: 'replay', snapshotOf: (objectId) => findSnapshot(db, objectId) },
      maxAttempts: MAX_ATTEMPTS,
    });
  }

  /** Reads the object as of its last event (cached state or projection row, plus any newer events); writes nothing. */
  async get(objectId: string, key?: string): Promise<StateObjectView | StateKeyView> {
    return this.counted('get', async () => {
      const { state } = await this.objects.load(objectId);
      if (state.status !== 'present') throw notFound('state object', objectId);
      return key === undefined ? toView(state, this.clock.nowIso()) : toKeyView(state, key);
    });
  }

  async set(
    objectId: string,
    key: string,
    body: StateSetBody,
    correlationId?: string,
  ): Promise<StateSetResult> {
    const { before, after } = await this.run(
      objectId,
      { type: 'SetValue', key, value: body.value },
      { fence: body.fence, correlationId },
    );
    return { ...resultBase(after), key, previous: valueIn(before, key) ?? null, value: body.value };
  }

  async update(objectId: string, body: StateUpdateBody, correlationId?: string): Promise<StateUpdateResult> {
    const operation = {
      type: 'UpdateValues',
      expectedVersion: body.expectedVersion,
      values: body.values,
    } as const;
    const { before, after } = await this.run(objectId, operation, { fence: body.fence, correlationId });
    const previous = Object.fromEntries(
      Object.keys(body.values).map((key) => [key, valueIn(before, key) ?? null]),
    );
    return { ...resultBase(after), previous, values: body.values };
  }

  async delete(
    objectId: string,
    key: string,
    body: StateDeleteBody,
    correlationId?: string,
  ): Promise<StateDeleteResult> {
    const { before, after } = await this.run(
      objectId,
      { type: 'DeleteKey', key },
      { fence: body.fence, correlationId },
    );
    return { ...resultBase(after), key, previous: valueIn(before, key) ?? null };
  }

  async increment(
    objectId: string,
    key: string,
    body: StateIncrementBody,
    correlationId?: string,
  ): Promise<StateIncrementResult> {
    const { before, after } = await this.run(
      objectId,
      { type: 'Increment', key, by: body.by },
      { fence: body.fence, correlationId },
    );
    return {
      ...resultBase(after),
      key,
      previous: Number(valueIn(before, key) ?? 0),
      value: Number(own(after.body, key)),
      by: body.by,
    };
  }

  async append(
    objectId: string,
    key: string,
    body: StateAppendBody,
    correlationId?: string,
  ): Promise<StateAppendResult> {
    const { after } = await this.run(
      objectId,
      { type: 'Append', key, item: body.item },
      { fence: body.fence, correlationId },
    );
    const list = own(after.body, key);
    return { ...resultBase(after), key, appended: body.item, length: Array.isArray(list) ? list.length : 0 };
  }

  async lock(
    objectId: string,
    lock: string,
    body: StateLockBody,
    correlationId?: string,
  ): Promise<StateLockResult> {
    const { after } = await this.run(
      objectId,
      { type: 'Lock', lock, holder: body.holder, ttlMs: body.ttlMs },
      { correlationId },
    );
    const granted = own(after.locks, lock);
    if (!granted) throw new Error(`lock ${lock} was granted but is not in the evolved state`);
    return {
      ...resultBase(after),
      lock,
      holder: granted.holder,
      token: granted.token,
      expiresAt: granted.expiresAt,
    };
  }

  async unlock(
    objectId: string,
    lock: string,
    body: StateUnlockBody,
    correlationId?: string,
  ): Promise<StateUnlockResult> {
    const { after } = await this.run(
      objectId,
      { type: 'Unlock', lock, holder: body.holder, token: body.token },
      { correlationId },
    );
    return { ...resultBase(after), lock, released: true };
  }

  /** Moves every object of a departing edge (and any orphan) to its rendezvous choice among the rest. */
  reassignFrom(edgeId: string, reason = `edge '${edgeId}' left the active set`): Promise<OwnerMove[]> {
    return this.rehome(edgeId, reason);
  }

  /** Gives objects without a live owner one; run when an edge becomes active. */
  assignOrphans(reason = 'an edge became active'): Promise<OwnerMove[]> {
    return this.rehome(null, reason);
  }

  private async rehome(departing: string | null, reason: string): Promise<OwnerMove[]> {
    const active = await this.edges.activeEdgeIds();
    const candidates = active.filter((edgeId) => edgeId !== departing);
    const moved: OwnerMove[] = [];
    for (const move of planRehoming(await objectsToRehome(this.db, departing, active), active, departing)) {
      // The decider re-checks the owner, so a move planned from a lagging projection is a no-op.
      const { result, after } = await this.run(
        move.objectId,
        { type: 'TransferOwnership', from: move.from, reason },
        { activeEdges: candidates },
      );
      if (result.published.length > 0) moved.push({ ...move, to: after.owner });
    }
    this.metrics.ownerMoves.inc({ reason: departing === null ? 'orphaned' : 'edge-left' }, moved.length);
    return moved;
  }

  private async run(objectId: string, operation: StateObjectOperation, options: Options): Promise<Outcome> {
    return this.counted(operationName(operation), async () => {
      const activeEdges = options.activeEdges ?? (await this.edges.activeEdgeIds());
      const command: StateObjectCommand = {
        ...operation,
        objectId,
        now: this.clock.nowIso(),
        activeEdges,
        ...(options.fence ? { fence: options.fence } : {}),
        ...(options.correlationId ? { correlationId: options.correlationId } : {}),
      };
      const result = await this.objects.handle(objectId, command);
      if (result.state.status !== 'present') throw notFound('state object', objectId);
      return { before: result.decidedOn, after: result.state, result };
    });
  }

  private async counted<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      const value = await work();
      this.metrics.operations.inc({ operation, outcome: 'ok' });
      return value;
    } catch (error) {
      const outcome = isKailashError(error) ? error.code : 'INTERNAL';
      this.metrics.operations.inc({ operation, outcome });
      if (operation === 'lock' && isHeldByAnother(error)) this.metrics.lockContention.inc();
      throw error;
    }
  }
}

const OPERATION_NAMES: Record<StateObjectOperation['type'], string> = {
  SetValue: 'set',
  UpdateValues: 'update',
  DeleteKey: 'delete',
  Increment: 'increment',
  Append: 'append',
  Lock: 'lock',
  Unlock: 'unlock',
  TransferOwnership: 'transfer',
};

const operationName = (operation: StateObjectOperation): string => OPERATION_NAMES[operation.type];

const valueIn = (state: StateObjectState, key: string) =>
  state.status === 'present' ? own(state.body, key) : undefined;

const resultBase = (state: StateObject) => ({
  objectId: state.objectId,
  owner: state.owner,
  version: state.version,
});

const isHeldByAnother = (error: unknown): boolean =>
  isKailashError(error) &&
  error.code === 'CONFLICT' &&
  typeof (error.details as { holder?: unknown } | undefined)?.holder === 'string';

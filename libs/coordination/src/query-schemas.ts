import { z } from 'zod';
import {
  keyRangeSchema,
  keySchema,
  leaseIdSchema,
  nameSchema,
  RANGE_LIMIT_MAX,
  revisionSchema,
} from './commands';
import {
  dueLeases,
  electionLeader,
  get,
  getLeader,
  leaseInfo,
  leases,
  lockOwner,
  range,
  watchHistory,
} from './queries';
import {
  electionLeaderSchema,
  keyValueSchema,
  leaseViewSchema,
  lockOwnerSchema,
  rangeResultSchema,
  watchEventSchema,
} from './responses';
import type { ReadonlyCoordinationState } from './state';

/**
 * The reads a client may ask for (NATS `qry.*`, REST GETs), as schemas, and `runQuery`, which answers
 * one over the state. The service runs it after ReadIndex (linearizable) or at once (serializable);
 * `now` is only for what a view shows (a lease's remaining time, whether a leader is stable), never
 * for a decision.
 */

const int = () => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const querySchema = z.discriminatedUnion('query', [
  z.strictObject({ query: z.literal('get'), key: keySchema }),
  z.strictObject({
    query: z.literal('range'),
    range: keyRangeSchema,
    limit: z.number().int().min(1).max(RANGE_LIMIT_MAX).optional(),
    keysOnly: z.boolean().optional(),
    countOnly: z.boolean().optional(),
  }),
  z.strictObject({ query: z.literal('lease'), id: leaseIdSchema }),
  z.strictObject({ query: z.literal('leases') }),
  z.strictObject({ query: z.literal('lock'), name: nameSchema }),
  z.strictObject({ query: z.literal('leader'), name: nameSchema }),
  /** The changes from `fromRevision` on, for a watch that (re)starts there. */
  z.strictObject({ query: z.literal('history'), range: keyRangeSchema, fromRevision: revisionSchema }),
  z.strictObject({ query: z.literal('status') }),
]);
export type Query = z.infer<typeof querySchema>;
export type QueryName = Query['query'];

export const leaseInfoSchema = leaseViewSchema.extend({ remainingMs: int(), keys: z.array(z.string()) });

/** Each answer carries `revision`: the store's revision it was read at. */
export const queryResultSchemas = {
  get: z.strictObject({ revision: int(), kv: keyValueSchema.optional() }),
  range: rangeResultSchema.extend({ revision: int() }),
  lease: z.strictObject({ revision: int(), lease: leaseInfoSchema.optional() }),
  leases: z.strictObject({ revision: int(), leases: z.array(leaseViewSchema), due: z.array(int()) }),
  lock: z.strictObject({ revision: int(), owner: lockOwnerSchema.optional() }),
  leader: z.strictObject({
    revision: int(),
    leader: electionLeaderSchema.optional(),
    term: int(),
    stable: z.boolean(),
  }),
  history: z.union([
    z.strictObject({ revision: int(), ok: z.literal(true), events: z.array(watchEventSchema) }),
    z.strictObject({ revision: int(), ok: z.literal(false), compactRevision: int() }),
  ]),
  status: z.strictObject({
    revision: int(),
    compactRevision: int(),
    appliedIndex: int(),
    keys: int(),
    leases: int(),
    sessions: int(),
  }),
} satisfies Record<QueryName, z.ZodType>;
export type QueryResult<Q extends QueryName> = z.infer<(typeof queryResultSchemas)[Q]>;

/** Answers a validated query over the state. */
export function runQuery<Q extends Query>(
  state: ReadonlyCoordinationState,
  query: Q,
  now: number,
): QueryResult<Q['query']> {
  return answer(state, query, now) as QueryResult<Q['query']>;
}

function answer(state: ReadonlyCoordinationState, query: Query, now: number): QueryResult<QueryName> {
  const { revision } = state;
  switch (query.query) {
    case 'get': {
      const kv = get(state, query.key);
      return kv ? { revision, kv } : { revision };
    }
    case 'range':
      return { revision, ...range(state, query) };
    case 'lease': {
      const lease = leaseInfo(state, query.id, now);
      return lease ? { revision, lease: { ...lease, keys: [...lease.keys] } } : { revision };
    }
    case 'leases':
      return { revision, leases: leases(state), due: dueLeases(state, now) };
    case 'lock': {
      const owner = lockOwner(state, query.name);
      return owner ? { revision, owner } : { revision };
    }
    case 'leader': {
      const leader = electionLeader(state, query.name);
      const { term, stable } = getLeader(state, query.name, now);
      return { revision, ...(leader ? { leader } : {}), term, stable };
    }
    case 'history': {
      const read = watchHistory(state, query.fromRevision, query.range);
      return read.ok
        ? { revision, ok: true, events: read.events }
        : { revision, ok: false, compactRevision: read.compactRevision };
    }
    case 'status':
      return {
        revision,
        compactRevision: state.compactRevision,
        appliedIndex: state.appliedIndex,
        keys: state.keys.size,
        leases: state.leases.size,
        sessions: state.sessions.size,
      };
  }
}

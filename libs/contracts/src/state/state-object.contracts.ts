import { z } from 'zod';
import type { EventOf } from '../envelope';
import { defineCommand, defineEvent, defineQuery, tokenSchema } from '../envelope';
import { exactNumber } from '../numbers';
import { STATE_DOMAIN } from './edge.requests';

/**
 * Durable state objects: a key/value JSON body per object id, with one owner
 * edge, a version that counts every change, and named locks with fencing tokens.
 */

export const STATE_OBJECT_AGGREGATE = 'stateobj';
const DOMAIN = STATE_DOMAIN;

/** Bounds, so one object can neither grow without limit nor make one event too large to publish. */
export const STATE_OBJECT_LIMITS = {
  maxKeyLength: 128,
  maxValueBytes: 8 * 1024,
  maxKeys: 256,
  maxLocks: 64,
  maxObjectBytes: 256 * 1024,
  minLockTtlMs: 100,
  maxLockTtlMs: 10 * 60 * 1000,
} as const;

// ── Shared schemas ───────────────────────────────────────────────────────────

export const stateObjectIdSchema = tokenSchema;

/** Keys travel in REST paths, so no `/`, `?`, `#` or `%`; `__proto__` could not be a plain JSON key safely. */
export const stateObjectKeySchema = z
  .string()
  .min(1)
  .max(STATE_OBJECT_LIMITS.maxKeyLength)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'keys are A-Z a-z 0-9 _ . : -')
  .refine((key) => key !== '__proto__', 'reserved key');

export const stateLockNameSchema = tokenSchema;
export const stateLockHolderSchema = z.string().trim().min(1).max(128);
export const stateFencingTokenSchema = z.number().int().positive();

export type StateJsonValue =
  string | number | boolean | null | StateJsonValue[] | { [key: string]: StateJsonValue };

export const stateJsonBytes = (value: unknown): number =>
  Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

/** Any JSON value of at most maxValueBytes once serialised. */
export const stateValueSchema = (z.json() as z.ZodType<StateJsonValue>).refine(
  (value) => stateJsonBytes(value) <= STATE_OBJECT_LIMITS.maxValueBytes,
  `a value may be at most ${STATE_OBJECT_LIMITS.maxValueBytes} bytes of JSON`,
);

/**
 * A write guarded by a lock: refused (CONFLICT, `details.reason`) unless the lock is live with
 * exactly this token; the lock rules are @kailash/leasing's (docs/locks-and-leases.md).
 */
export const stateFenceSchema = z.strictObject({ lock: stateLockNameSchema, token: stateFencingTokenSchema });
export type StateFence = z.output<typeof stateFenceSchema>;

const stateValuesSchema = z
  .record(stateObjectKeySchema, stateValueSchema)
  .refine((values) => Object.keys(values).length >= 1, 'at least one key')
  .refine(
    (values) => Object.keys(values).length <= STATE_OBJECT_LIMITS.maxKeys,
    `at most ${STATE_OBJECT_LIMITS.maxKeys} keys`,
  );

// ── Request bodies (REST bodies; NATS data adds objectId and, per route, key or lock) ──

export const stateSetBodySchema = z.strictObject({
  value: stateValueSchema,
  fence: stateFenceSchema.optional(),
});
export const stateUpdateBodySchema = z.strictObject({
  /** Compare-and-set: the object's version as the caller last saw it; 0 = the object must not exist yet. */
  expectedVersion: z.number().int().nonnegative(),
  values: stateValuesSchema,
  fence: stateFenceSchema.optional(),
});
export const stateDeleteBodySchema = z.strictObject({ fence: stateFenceSchema.optional() });
export const stateIncrementBodySchema = z.strictObject({
  by: exactNumber()
    .refine((by) => by !== 0, 'must not be 0')
    .default(1),
  fence: stateFenceSchema.optional(),
});
export const stateAppendBodySchema = z.strictObject({
  item: stateValueSchema,
  fence: stateFenceSchema.optional(),
});
export const stateLockBodySchema = z.strictObject({
  holder: stateLockHolderSchema,
  ttlMs: z.number().int().min(STATE_OBJECT_LIMITS.minLockTtlMs).max(STATE_OBJECT_LIMITS.maxLockTtlMs),
});
export const stateUnlockBodySchema = z.strictObject({
  holder: stateLockHolderSchema,
  token: stateFencingTokenSchema,
});

export type StateSetBody = z.output<typeof stateSetBodySchema>;
export type StateUpdateBody = z.output<typeof stateUpdateBodySchema>;
export type StateDeleteBody = z.output<typeof stateDeleteBodySchema>;
export type StateIncrementBody = z.output<typeof stateIncrementBodySchema>;
export type StateAppendBody = z.output<typeof stateAppendBodySchema>;
export type StateLockBody = z.output<typeof stateLockBodySchema>;
export type StateUnlockBody = z.output<typeof stateUnlockBodySchema>;

const objectRef = { objectId: stateObjectIdSchema };
const keyRef = { ...objectRef, key: stateObjectKeySchema };
const lockRef = { ...objectRef, lock: stateLockNameSchema };

// ── Views and results ────────────────────────────────────────────────────────

export const stateLockViewSchema = z.strictObject({
  name: stateLockNameSchema,
  holder: z.string(),
  // The token is not shown to readers: unlocking needs holder and token, so only the grantee has both.
  expiresAt: z.string(),
});

export const stateObjectMetadataSchema = z.strictObject({
  createdAt: z.string(),
  modifiedAt: z.string(),
});

export const stateObjectViewSchema = z.strictObject({
  objectId: stateObjectIdSchema,
  owner: z.string().nullable(),
  version: z.number().int().positive(),
  metadata: stateObjectMetadataSchema,
  body: z.record(z.string(), z.json()),
  locks: z.array(stateLockViewSchema),
});
export type StateObjectView = z.output<typeof stateObjectViewSchema>;

export const stateKeyViewSchema = z.strictObject({
  objectId: stateObjectIdSchema,
  key: z.string(),
  exists: z.boolean(),
  value: z.json(),
  owner: z.string().nullable(),
  version: z.number().int().positive(),
  metadata: stateObjectMetadataSchema,
});
export type StateKeyView = z.output<typeof stateKeyViewSchema>;

const resultBase = {
  objectId: stateObjectIdSchema,
  owner: z.string().nullable(),
  version: z.number().int().positive(),
};

export const stateSetResultSchema = z.strictObject({
  ...resultBase,
  key: z.string(),
  previous: z.json(),
  value: z.json(),
});
export const stateUpdateResultSchema = z.strictObject({
  ...resultBase,
  previous: z.record(z.string(), z.json()),
  values: z.record(z.string(), z.json()),
});
export const stateDeleteResultSchema = z.strictObject({ ...resultBase, key: z.string(), previous: z.json() });
export const stateIncrementResultSchema = z.strictObject({
  ...resultBase,
  key: z.string(),
  previous: z.number(),
  value: z.number(),
  by: z.number(),
});
export const stateAppendResultSchema = z.strictObject({
  ...resultBase,
  key: z.string(),
  appended: z.json(),
  length: z.number().int(),
});
export const stateLockResultSchema = z.strictObject({
  ...resultBase,
  lock: z.string(),
  holder: z.string(),
  token: z.number().int(),
  expiresAt: z.string(),
});
export const stateUnlockResultSchema = z.strictObject({
  ...resultBase,
  lock: z.string(),
  released: z.literal(true),
});

export type StateSetResult = z.output<typeof stateSetResultSchema>;
export type StateUpdateResult = z.output<typeof stateUpdateResultSchema>;
export type StateDeleteResult = z.output<typeof stateDeleteResultSchema>;
export type StateIncrementResult = z.output<typeof stateIncrementResultSchema>;
export type StateAppendResult = z.output<typeof stateAppendResultSchema>;
export type StateLockResult = z.output<typeof stateLockResultSchema>;
export type StateUnlockResult = z.output<typeof stateUnlockResultSchema>;

// ── Commands and queries over NATS: `<ns>.state.cmd.stateobj.<op>`, `.qry.stateobj.get` ──

export const GetStateObject = defineQuery(DOMAIN, 'stateobj.get', {
  data: z.strictObject({ ...objectRef, key: stateObjectKeySchema.optional() }),
  result: z.union([stateObjectViewSchema, stateKeyViewSchema]),
});
export const SetStateValue = defineCommand(DOMAIN, 'stateobj.set', {
  data: stateSetBodySchema.extend(keyRef),
  result: stateSetResultSchema,
});
export const UpdateStateValues = defineCommand(DOMAIN, 'stateobj.update', {
  data: stateUpdateBodySchema.extend(objectRef),
  result: stateUpdateResultSchema,
});
export const DeleteStateKey = defineCommand(DOMAIN, 'stateobj.delete', {
  data: stateDeleteBodySchema.extend(keyRef),
  result: stateDeleteResultSchema,
});
export const IncrementStateValue = defineCommand(DOMAIN, 'stateobj.increment', {
  data: stateIncrementBodySchema.extend(keyRef),
  result: stateIncrementResultSchema,
});
export const AppendStateValue = defineCommand(DOMAIN, 'stateobj.append', {
  data: stateAppendBodySchema.extend(keyRef),
  result: stateAppendResultSchema,
});
export const LockStateObject = defineCommand(DOMAIN, 'stateobj.lock', {
  data: stateLockBodySchema.extend(lockRef),
  result: stateLockResultSchema,
});
export const UnlockStateObject = defineCommand(DOMAIN, 'stateobj.unlock', {
  data: stateUnlockBodySchema.extend(lockRef),
  result: stateUnlockResultSchema,
});

// ── Events: one per command, on `<ns>.state.evt.stateobj.<objectId>` ─────────

/**
 * Common to every event. `owner` is present only on the event that creates the object: the
 * owner edge chosen when it first came to exist (null when no edge was active then).
 */
const eventBase = {
  objectId: stateObjectIdSchema,
  at: z.iso.datetime(),
  owner: z.string().nullable().optional(),
};

export const StateValueSet = defineEvent('stateobj.value-set', {
  aggregateType: STATE_OBJECT_AGGREGATE,
  data: z.strictObject({ ...eventBase, key: stateObjectKeySchema, value: stateValueSchema }),
});
export const StateValuesUpdated = defineEvent('stateobj.values-updated', {
  aggregateType: STATE_OBJECT_AGGREGATE,
  data: z.strictObject({
    ...eventBase,
    expectedVersion: z.number().int().nonnegative(),
    values: stateValuesSchema,
  }),
});
export const StateKeyDeleted = defineEvent('stateobj.key-deleted', {
  aggregateType: STATE_OBJECT_AGGREGATE,
  data: z.strictObject({ ...eventBase, key: stateObjectKeySchema }),
});
/** Carries the resulting value as well as the step, so replay never re-does float arithmetic differently. */
export const StateValueIncremented = defineEvent('stateobj.value-incremented', {
  aggregateType: STATE_OBJECT_AGGREGATE,
  data: z.strictObject({
    ...eventBase,
    key: stateObjectKeySchema,
    by: z.number().finite(),
    value: z.number().finite(),
  }),
});
export const StateValueAppended = defineEvent('stateobj.value-appended', {
  aggregateType: STATE_OBJECT_AGGREGATE,
  data: z.strictObject({ ...eventBase, key: stateObjectKeySchema, item: stateValueSchema }),
});
export const StateLockAcquired = defineEvent('stateobj.lock-acquired', {
  aggregateType: STATE_OBJECT_AGGREGATE,
  data: z.strictObject({
    ...eventBase,
    lock: stateLockNameSchema,
    holder: stateLockHolderSchema,
    token: stateFencingTokenSchema,
    expiresAt: z.iso.datetime(),
  }),
});
export const StateLockReleased = defineEvent('stateobj.lock-released', {
  aggregateType: STATE_OBJECT_AGGREGATE,
  data: z.strictObject({
    ...eventBase,
    lock: stateLockNameSchema,
    holder: stateLockHolderSchema,
    token: stateFencingTokenSchema,
  }),
});
export const StateObjectOwnerChanged = defineEvent('stateobj.owner-changed', {
  aggregateType: STATE_OBJECT_AGGREGATE,
  data: z.strictObject({
    ...eventBase,
    from: z.string().nullable(),
    to: z.string().nullable(),
    reason: z.string().min(1).max(512),
  }),
});

export type StateValueSet = EventOf<typeof StateValueSet>;
export type StateValuesUpdated = EventOf<typeof StateValuesUpdated>;
export type StateKeyDeleted = EventOf<typeof StateKeyDeleted>;
export type StateValueIncremented = EventOf<typeof StateValueIncremented>;
export type StateValueAppended = EventOf<typeof StateValueAppended>;
export type StateLockAcquired = EventOf<typeof StateLockAcquired>;
export type StateLockReleased = EventOf<typeof StateLockReleased>;
export type StateObjectOwnerChanged = EventOf<typeof StateObjectOwnerChanged>;

export const STATE_OBJECT_EVENTS = [
  StateValueSet,
  StateValuesUpdated,
  StateKeyDeleted,
  StateValueIncremented,
  StateValueAppended,
  StateLockAcquired,
  StateLockReleased,
  StateObjectOwnerChanged,
] as const;

export type StateObjectEvent =
  | StateValueSet
  | StateValuesUpdated
  | StateKeyDeleted
  | StateValueIncremented
  | StateValueAppended
  | StateLockAcquired
  | StateLockReleased
  | StateObjectOwnerChanged;

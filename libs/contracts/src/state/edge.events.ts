import { z } from 'zod';
import type { EventOf } from '../envelope';
import { defineEvent, tokenSchema } from '../envelope';
import { edgeUpdateSchema } from './edge-lifecycle';
import { edgeLifecycleSchema, edgeRegistrationSchema } from './edge.schemas';

export const EDGE_AGGREGATE = 'edge';

export const EdgeRegistered = defineEvent('edge.registered', {
  aggregateType: EDGE_AGGREGATE,
  data: edgeRegistrationSchema.required({ edgeId: true }).extend({
    edgeId: tokenSchema,
    registeredAt: z.iso.datetime(),
  }),
});
export type EdgeRegistered = EventOf<typeof EdgeRegistered>;

export const EdgeUpdated = defineEvent('edge.updated', {
  aggregateType: EDGE_AGGREGATE,
  data: z.strictObject({ edgeId: tokenSchema, changes: edgeUpdateSchema, at: z.iso.datetime() }),
});
export type EdgeUpdated = EventOf<typeof EdgeUpdated>;

export const EdgeLifecycleChanged = defineEvent('edge.lifecycle-changed', {
  aggregateType: EDGE_AGGREGATE,
  data: z.strictObject({
    edgeId: tokenSchema,
    from: edgeLifecycleSchema,
    to: edgeLifecycleSchema,
    reason: z.string().min(1).max(512),
    actor: z.string().min(1).max(128),
    at: z.iso.datetime(),
  }),
});
export type EdgeLifecycleChanged = EventOf<typeof EdgeLifecycleChanged>;

/** Leaving the fleet: the edge is terminated and its record kept for history. */
export const EdgeDeregistered = defineEvent('edge.deregistered', {
  aggregateType: EDGE_AGGREGATE,
  data: z.strictObject({
    edgeId: tokenSchema,
    from: edgeLifecycleSchema,
    reason: z.string().min(1).max(512),
    actor: z.string().min(1).max(128),
    at: z.iso.datetime(),
  }),
});
export type EdgeDeregistered = EventOf<typeof EdgeDeregistered>;

export const EDGE_EVENTS = [EdgeRegistered, EdgeUpdated, EdgeLifecycleChanged, EdgeDeregistered] as const;
export type EdgeEvent = EdgeRegistered | EdgeUpdated | EdgeLifecycleChanged | EdgeDeregistered;

import { z } from 'zod';
import type { EventOf } from '../envelope';
import { defineEvent, tokenSchema } from '../envelope';
import { edgeRegistrationSchema } from './edge.schemas';

export const EDGE_AGGREGATE = 'edge';

export const EdgeRegistered = defineEvent('edge.registered', {
  aggregateType: EDGE_AGGREGATE,
  data: edgeRegistrationSchema.required({ edgeId: true }).extend({
    edgeId: tokenSchema,
    registeredAt: z.iso.datetime(),
  }),
});
export type EdgeRegistered = EventOf<typeof EdgeRegistered>;

export const EDGE_EVENTS = [EdgeRegistered] as const;
export type EdgeEvent = EdgeRegistered;

import { z } from 'zod';
import { defineCommand, defineQuery, tokenSchema } from '../envelope';
import { finiteNumber } from '../numbers';
import {
  edgeDeregistrationSchema,
  edgeTransitionRecordSchema,
  edgeTransitionSchema,
  edgeUpdateSchema,
} from './edge-lifecycle';
import {
  complianceZoneSchema,
  edgeLifecycleSchema,
  edgeRegistrationSchema,
  edgeViewSchema,
  geoPointSchema,
} from './edge.schemas';

export const STATE_DOMAIN = 'state';

const edgeRef = { edgeId: tokenSchema };

export const RegisterEdge = defineCommand(STATE_DOMAIN, 'edge.register', {
  data: edgeRegistrationSchema,
  result: edgeViewSchema,
});

export const UpdateEdge = defineCommand(STATE_DOMAIN, 'edge.update', {
  data: z.strictObject({ ...edgeRef, changes: edgeUpdateSchema }),
  result: edgeViewSchema,
});

export const TransitionEdge = defineCommand(STATE_DOMAIN, 'edge.transition', {
  data: edgeTransitionSchema.extend(edgeRef),
  result: edgeViewSchema,
});

export const DeregisterEdge = defineCommand(STATE_DOMAIN, 'edge.deregister', {
  data: edgeDeregistrationSchema.extend(edgeRef),
  result: edgeViewSchema,
});

export const GetEdge = defineQuery(STATE_DOMAIN, 'edge.get', {
  data: z.strictObject(edgeRef),
  result: edgeViewSchema,
});

export const GetEdgeHistory = defineQuery(STATE_DOMAIN, 'edge.history', {
  data: z.strictObject(edgeRef),
  result: z.strictObject({ edgeId: tokenSchema, transitions: z.array(edgeTransitionRecordSchema) }),
});

/** Discovery: every filter optional and combined with AND; `near` orders by distance. */
export const edgeDiscoverySchema = z
  .strictObject({
    region: z
      .string()
      .regex(/^[a-z0-9-]{2,64}$/)
      .optional(),
    zone: complianceZoneSchema.optional(),
    capability: z
      .string()
      .regex(/^(cpu|memory|gpu|storage|network|custom:[a-z0-9_-]{1,32})$/, 'unknown resource type')
      .optional(),
    tag: z
      .string()
      .regex(/^[A-Za-z0-9_./-]{1,64}(=.{0,256})?$/, 'must be key or key=value')
      .optional(),
    lifecycle: edgeLifecycleSchema.optional(),
    near: geoPointSchema.optional(),
    radiusKm: finiteNumber().positive().max(20_038).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .refine((query) => query.radiusKm === undefined || query.near !== undefined, {
    message: 'radiusKm needs near',
    path: ['radiusKm'],
  });
export type EdgeDiscoveryQuery = z.output<typeof edgeDiscoverySchema>;

export const discoveredEdgeSchema = edgeViewSchema.extend({ distanceKm: z.number().nullable() });
export type DiscoveredEdge = z.output<typeof discoveredEdgeSchema>;

export const ListEdges = defineQuery(STATE_DOMAIN, 'edge.list', {
  data: edgeDiscoverySchema,
  result: z.strictObject({ edges: z.array(discoveredEdgeSchema), total: z.number().int() }),
});

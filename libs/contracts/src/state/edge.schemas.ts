import { z } from 'zod';
import { tokenSchema } from '../envelope';
import { finiteNumber } from '../numbers';

export const COMPLIANCE_ZONES = [
  'gdpr',
  'ccpa',
  'pipeda',
  'lgpd',
  'hipaa',
  'sox',
  'pci_dss',
  'fedramp',
  'itar',
  'public',
  'restricted',
] as const;
export const complianceZoneSchema = z.enum(COMPLIANCE_ZONES);
export type ComplianceZone = z.output<typeof complianceZoneSchema>;

export const RESOURCE_TYPES = ['cpu', 'memory', 'gpu', 'storage', 'network'] as const;

export const EDGE_LIFECYCLE_STATES = ['initialized', 'warming', 'active', 'draining', 'terminated'] as const;
export const edgeLifecycleSchema = z.enum(EDGE_LIFECYCLE_STATES);
export type EdgeLifecycle = z.output<typeof edgeLifecycleSchema>;

export const geoPointSchema = z.strictObject({
  lat: finiteNumber().min(-90).max(90),
  lon: finiteNumber().min(-180).max(180),
});
export type GeoPoint = z.output<typeof geoPointSchema>;

/** Capacity per resource type; custom resources use a `custom:<name>` key. */
export const capacitySchema = z
  .record(
    z.string().regex(/^(cpu|memory|gpu|storage|network|custom:[a-z0-9_-]{1,32})$/, 'unknown resource type'),
    finiteNumber().nonnegative(),
  )
  .refine((capacity) => Object.keys(capacity).length <= 32, 'at most 32 resource types');

/** A data set an edge holds (placement prefers edges that already hold what a workload reads). */
export const dataSetNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:/-]{1,128}$/, 'must be 1-128 of A-Z a-z 0-9 _ . : / -');

/** Optional commercial and data facts placement uses; absent on edges registered before they existed. */
const placementFacts = {
  dataSets: z.array(dataSetNameSchema).max(256).optional(),
  costPerHour: finiteNumber().nonnegative().optional(),
  provider: z
    .string()
    .regex(/^[a-z0-9-]{2,64}$/, 'must be 2-64 of a-z 0-9 -')
    .optional(),
};

const tagsSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9_./-]{1,64}$/, 'tag keys are 1-64 of A-Z a-z 0-9 _ . / -'),
    z.string().max(256),
  )
  .refine((tags) => Object.keys(tags).length <= 64, 'at most 64 tags');

/** The describable fields of an edge, without defaults (an update must not reset what it omits). */
export const edgeFieldsSchema = z.strictObject({
  name: z.string().trim().min(1).max(128),
  region: z.string().regex(/^[a-z0-9-]{2,64}$/, 'must be 2-64 of a-z 0-9 -'),
  location: geoPointSchema,
  capacity: capacitySchema,
  zones: z.array(complianceZoneSchema).max(COMPLIANCE_ZONES.length),
  tags: tagsSchema,
  endpoint: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
  ...placementFacts,
});

/** What an operator supplies to register an edge. */
export const edgeRegistrationSchema = edgeFieldsSchema.extend({
  edgeId: tokenSchema.optional(),
  capacity: capacitySchema.default({}),
  zones: edgeFieldsSchema.shape.zones.default([]),
  tags: tagsSchema.default({}),
});
export type EdgeRegistration = z.output<typeof edgeRegistrationSchema>;

/** The read model of one edge, as REST and NATS queries return it. */
export const edgeViewSchema = z.strictObject({
  edgeId: tokenSchema,
  name: z.string(),
  region: z.string(),
  location: geoPointSchema,
  capacity: z.record(z.string(), z.number()),
  zones: z.array(complianceZoneSchema),
  tags: z.record(z.string(), z.string()),
  endpoint: z.string().nullable(),
  ...placementFacts,
  lifecycle: edgeLifecycleSchema,
  version: z.number().int().nonnegative(),
  registeredAt: z.string(),
  updatedAt: z.string(),
});
export type EdgeView = z.output<typeof edgeViewSchema>;

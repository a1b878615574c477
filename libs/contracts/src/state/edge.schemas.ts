import { z } from 'zod';
import { tokenSchema } from '../envelope';

export const COMPLIANCE_ZONES = [
  'gdpr', 'ccpa', 'pipeda', 'lgpd', 'hipaa', 'sox', 'pci_dss', 'fedramp', 'itar', 'public', 'restricted',
] as const;
export const complianceZoneSchema = z.enum(COMPLIANCE_ZONES);
export type ComplianceZone = z.output<typeof complianceZoneSchema>;

export const RESOURCE_TYPES = ['cpu', 'memory', 'gpu', 'storage', 'network'] as const;

export const EDGE_LIFECYCLE_STATES = ['initialized', 'warming', 'active', 'draining', 'terminated'] as const;
export const edgeLifecycleSchema = z.enum(EDGE_LIFECYCLE_STATES);
export type EdgeLifecycle = z.output<typeof edgeLifecycleSchema>;

export const geoPointSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type GeoPoint = z.output<typeof geoPointSchema>;

/** Capacity per resource type; custom resources use a `custom:<name>` key. */
export const capacitySchema = z
  .record(
    z.string().regex(/^(cpu|memory|gpu|storage|network|custom:[a-z0-9_-]{1,32})$/, 'unknown resource type'),
    z.number().finite().nonnegative(),
  )
  .refine((capacity) => Object.keys(capacity).length <= 32, 'at most 32 resource types');

const tagsSchema = z
  .record(z.string().regex(/^[A-Za-z0-9_./-]{1,64}$/, 'tag keys are 1-64 of A-Z a-z 0-9 _ . / -'), z.string().max(256))
  .refine((tags) => Object.keys(tags).length <= 64, 'at most 64 tags');

/** What an operator supplies to register an edge. */
export const edgeRegistrationSchema = z.strictObject({
  edgeId: tokenSchema.optional(),
  name: z.string().trim().min(1).max(128),
  region: z.string().regex(/^[a-z0-9-]{2,64}$/, 'must be 2-64 of a-z 0-9 -'),
  location: geoPointSchema,
  capacity: capacitySchema.default({}),
  zones: z.array(complianceZoneSchema).max(COMPLIANCE_ZONES.length).default([]),
  tags: tagsSchema.default({}),
  endpoint: z.url({ protocol: /^https?$/ }).max(2048).optional(),
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
  lifecycle: edgeLifecycleSchema,
  version: z.number().int().nonnegative(),
  registeredAt: z.string(),
  updatedAt: z.string(),
});
export type EdgeView = z.output<typeof edgeViewSchema>;

import { z } from 'zod';
import { defineQuery, tokenSchema } from '../envelope';
import { finiteNumber } from '../numbers';
import { STATE_DOMAIN } from './edge.requests';
import { capacitySchema, complianceZoneSchema, dataSetNameSchema, geoPointSchema } from './edge.schemas';

/** A strict object with the same schema under each key. */
function keyed<K extends string, S extends z.ZodType>(keys: readonly K[], schema: S) {
  return z.strictObject(Object.fromEntries(keys.map((key) => [key, schema])) as Record<K, S>);
}

// ── Vocabulary ───────────────────────────────────────────────────────────────

/** How the data a workload touches is classified; compliance rules derive required zones from it. */
export const DATA_CLASSIFICATIONS = [
  'public',
  'internal',
  'confidential',
  'restricted',
  'pii',
  'phi',
  'pci',
  'financial',
  'healthcare',
  'educational',
  'eu_personal',
  'california_resident',
  'canadian_personal',
] as const;
export const dataClassificationSchema = z.enum(DATA_CLASSIFICATIONS);
export type DataClassification = z.output<typeof dataClassificationSchema>;

export const PLACEMENT_STRATEGIES = [
  'latency_optimal',
  'cost_optimal',
  'balanced',
  'capacity_optimal',
  'performance_optimal',
  'compliance_first',
  'load_balanced',
  'data_locality',
] as const;
export const placementStrategySchema = z.enum(PLACEMENT_STRATEGIES);
export type PlacementStrategy = z.output<typeof placementStrategySchema>;

/** The soft factors; each scores 0–100 (as Kubernetes score plugins do) and the total is their weighted mean. */
export const PLACEMENT_FACTORS = ['geographic', 'dataLocality', 'load', 'capacity', 'cost'] as const;
export type PlacementFactor = (typeof PLACEMENT_FACTORS)[number];
export type FactorWeights = Readonly<Record<PlacementFactor, number>>;

/** Why an edge was not a candidate. Compliance is always a filter, never a score. */
export const PLACEMENT_FILTER_REASONS = [
  'inactive',
  'draining',
  'compliance',
  'capacity',
  'latency_budget',
  'cost',
] as const;
export type PlacementFilterReason = (typeof PLACEMENT_FILTER_REASONS)[number];

/**
 * Default weights per strategy (each row sums to 1). `performance_optimal` is proximity plus headroom
 * until measured edge latency/error rates exist; `compliance_first` filters like every strategy and then
 * prefers edges that already hold the data, because moving regulated data is itself a transfer.
 */
export const DEFAULT_STRATEGY_WEIGHTS: Readonly<Record<PlacementStrategy, FactorWeights>> = {
  latency_optimal: { geographic: 0.7, dataLocality: 0.1, load: 0.1, capacity: 0, cost: 0.1 },
  cost_optimal: { geographic: 0.1, dataLocality: 0.1, load: 0.1, capacity: 0, cost: 0.7 },
  balanced: { geographic: 0.3, dataLocality: 0.2, load: 0.2, capacity: 0.1, cost: 0.2 },
  capacity_optimal: { geographic: 0.2, dataLocality: 0, load: 0.2, capacity: 0.5, cost: 0.1 },
  performance_optimal: { geographic: 0.5, dataLocality: 0, load: 0.2, capacity: 0.3, cost: 0 },
  compliance_first: { geographic: 0.3, dataLocality: 0.5, load: 0.1, capacity: 0, cost: 0.1 },
  load_balanced: { geographic: 0.2, dataLocality: 0, load: 0.6, capacity: 0.1, cost: 0.1 },
  data_locality: { geographic: 0.3, dataLocality: 0.6, load: 0.1, capacity: 0, cost: 0 },
};

/** A strategy's weights with a request's overrides laid over them (unmentioned factors keep their default). */
export function effectiveWeights(
  strategy: PlacementStrategy,
  overrides: Partial<FactorWeights> = {},
): FactorWeights {
  return { ...DEFAULT_STRATEGY_WEIGHTS[strategy], ...overrides };
}

// ── Request ──────────────────────────────────────────────────────────────────

export const weightOverridesSchema = keyed(PLACEMENT_FACTORS, finiteNumber().min(0).max(100).optional());

export const complianceNeedsSchema = z.strictObject({
  classifications: z.array(dataClassificationSchema).max(DATA_CLASSIFICATIONS.length).default([]),
  /** ISO 3166-1 alpha-2 country of the data subjects, e.g. FR; decides GDPR and similar residency rules. */
  subjectCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as FR')
    .optional(),
  /** Zones the caller requires on top of the derived ones. */
  requiredZones: z.array(complianceZoneSchema).max(16).default([]),
});
export type ComplianceNeeds = z.output<typeof complianceNeedsSchema>;

export const placementRequestSchema = z
  .strictObject({
    client: geoPointSchema,
    dataSets: z.array(dataSetNameSchema).max(64).default([]),
    compliance: complianceNeedsSchema.default({ classifications: [], requiredZones: [] }),
    /** Needs per resource type, keyed like edge capacity: cpu, memory, gpu, storage, network, custom:<name>. */
    resources: capacitySchema.default({}),
    latencyBudgetMs: finiteNumber().positive().max(10_000).optional(),
    maxCostPerHour: finiteNumber().nonnegative().optional(),
    strategy: placementStrategySchema.default('balanced'),
    weights: weightOverridesSchema.optional(),
    maxResults: z.number().int().min(1).max(100).default(5),
  })
  .superRefine((request, context) => {
    const weights = effectiveWeights(request.strategy, definedOnly(request.weights));
    if (PLACEMENT_FACTORS.every((factor) => weights[factor] === 0)) {
      context.addIssue({
        code: 'custom',
        path: ['weights'],
        message: `every weight of ${request.strategy} would be 0`,
      });
    }
  });
export type PlacementRequest = z.output<typeof placementRequestSchema>;
export type PlacementRequestInput = z.input<typeof placementRequestSchema>;

/** Drops keys whose value is undefined, so an explicit `undefined` never erases a default weight. */
export function definedOnly(
  overrides: Partial<Record<PlacementFactor, number | undefined>> | undefined,
): Partial<FactorWeights> {
  return Object.fromEntries(Object.entries(overrides ?? {}).filter(([, value]) => value !== undefined));
}

// ── Result ───────────────────────────────────────────────────────────────────

const score = z.number().min(0).max(100);
export const factorScoresSchema = keyed(PLACEMENT_FACTORS, score);

export const placementCandidateSchema = z.strictObject({
  edgeId: tokenSchema,
  name: z.string(),
  region: z.string(),
  location: geoPointSchema,
  zones: z.array(complianceZoneSchema),
  score,
  scores: factorScoresSchema,
  estimatedRttMs: z.number().nonnegative(),
  distanceKm: z.number().nonnegative(),
  explanation: z.string(),
});
export type PlacementCandidate = z.output<typeof placementCandidateSchema>;

export const placementResultSchema = z.strictObject({
  strategy: placementStrategySchema,
  /** The weights used, normalised to sum to 1. */
  weights: keyed(PLACEMENT_FACTORS, z.number().min(0).max(1)),
  requiredZones: z.array(complianceZoneSchema),
  candidates: z.array(placementCandidateSchema),
  /** Edges turned away, per reason. Lifecycle counts cover the fleet; the others the edges examined. */
  filtered: keyed(PLACEMENT_FILTER_REASONS, z.number().int().nonnegative()),
  /**
   * Active edges looked at, and those never looked at: their whole subtree of the spatial index could
   * not pass a hard filter, lay beyond the latency budget, or could not outrank the result.
   */
  examined: z.number().int().nonnegative(),
  pruned: z.number().int().nonnegative(),
  fleetSize: z.number().int().nonnegative(),
  /** Stream position of the edges projection the fleet view was built from. */
  fleetPosition: z.number().int().nonnegative(),
});
export type PlacementResult = z.output<typeof placementResultSchema>;

export const PlaceWorkload = defineQuery(STATE_DOMAIN, 'placement.place', {
  data: placementRequestSchema,
  result: placementResultSchema,
});

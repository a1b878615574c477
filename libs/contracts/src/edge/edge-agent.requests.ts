import { z } from 'zod';
import type { RequestDefinition } from '../envelope';
import type { SubjectSpace } from '../subjects';
import { defineCommand, defineQuery, tokenSchema } from '../envelope';
import { edgeLifecycleSchema } from '../state/edge.schemas';
import { workloadKindSchema } from './telemetry.contracts';
import { workloadSpecSchema } from './workload-spec';

/**
 * What one edge agent serves over NATS on `<ns>.edge.<edgeId>.<name>` (see `edgeRequestSubject`),
 * and the same use cases over its HTTP API. Requests for a workload or key the agent no longer owns
 * are answered `MOVED` (421) with `details.owner`, the edge that owns it now.
 */

export const EDGE_AGENT_DOMAIN = 'edge';

export const KV_LIMITS = { maxKeyLength: 512, maxValueBytes: 64 * 1024, maxScan: 1000 } as const;

export const kvStoreSchema = tokenSchema;
/** Keys travel in REST paths: printable ASCII without `/ ? # %` or spaces. */
export const kvKeySchema = z
  .string()
  .min(1)
  .max(KV_LIMITS.maxKeyLength)
  .regex(/^[A-Za-z0-9_.:@=+,;!~*'()$-]+$/, 'keys are printable ASCII without / ? # % or spaces');
export const kvValueSchema = z
  .json()
  .refine(
    (value) => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') <= KV_LIMITS.maxValueBytes,
    `a value may be at most ${KV_LIMITS.maxValueBytes} bytes of JSON`,
  );
/** Versions count the writes of a key from 1; 0 in a compare-and-set means "must not exist". */
export const kvVersionSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const kvEntrySchema = z.strictObject({
  key: kvKeySchema,
  value: z.json(),
  version: z.number().int().positive(),
});
export type KvEntry = z.output<typeof kvEntrySchema>;

const keyRef = { store: kvStoreSchema, key: kvKeySchema };

export const kvPutBodySchema = z.strictObject({ value: kvValueSchema });
export const kvCasBodySchema = z.strictObject({ expectedVersion: kvVersionSchema, value: kvValueSchema });
export const kvDeleteBodySchema = z.strictObject({ expectedVersion: kvVersionSchema.optional() });
export const kvScanSchema = z.strictObject({
  prefix: z.string().max(KV_LIMITS.maxKeyLength).optional(),
  after: kvKeySchema.optional(),
  limit: z.number().int().min(1).max(KV_LIMITS.maxScan).default(100),
});

export const kvWriteResultSchema = z.strictObject({ key: kvKeySchema, version: z.number().int().positive() });
export const kvDeleteResultSchema = z.strictObject({
  key: kvKeySchema,
  deleted: z.boolean(),
  version: z.number().int().nonnegative(),
});
export const kvScanResultSchema = z.strictObject({
  entries: z.array(kvEntrySchema),
  /** The key to pass as `after` for the next page; null on the last. */
  next: kvKeySchema.nullable(),
});

export const KvGet = defineQuery(EDGE_AGENT_DOMAIN, 'kv.get', {
  data: z.strictObject(keyRef),
  result: kvEntrySchema,
});
export const KvPut = defineCommand(EDGE_AGENT_DOMAIN, 'kv.put', {
  data: kvPutBodySchema.extend(keyRef),
  result: kvWriteResultSchema,
});
export const KvCompareAndSet = defineCommand(EDGE_AGENT_DOMAIN, 'kv.cas', {
  data: kvCasBodySchema.extend(keyRef),
  result: kvWriteResultSchema,
});
export const KvDelete = defineCommand(EDGE_AGENT_DOMAIN, 'kv.delete', {
  data: kvDeleteBodySchema.extend(keyRef),
  result: kvDeleteResultSchema,
});
export const KvScan = defineQuery(EDGE_AGENT_DOMAIN, 'kv.scan', {
  data: kvScanSchema.extend({ store: kvStoreSchema }),
  result: kvScanResultSchema,
});

// ── Function workloads ───────────────────────────────────────────────────────

export const workloadIdSchema = tokenSchema;

export const invokeBodySchema = z.strictObject({ payload: z.json().optional() });
export const invocationResultSchema = z.strictObject({
  workloadId: workloadIdSchema,
  coldStart: z.boolean(),
  durationMs: z.number().nonnegative(),
  instance: z.string(),
});
export const prewarmBodySchema = z.strictObject({
  instances: z.number().int().min(1).max(256),
  /** How long the prewarmed instances stay warm without traffic; default: the workload's keep-alive. */
  ttlMs: z
    .number()
    .int()
    .min(100)
    .max(24 * 3_600_000)
    .optional(),
});
export const workloadViewSchema = z.strictObject({
  workloadId: workloadIdSchema,
  kind: workloadKindSchema,
  warmInstances: z.number().int().nonnegative(),
  busyInstances: z.number().int().nonnegative(),
  initMs: z.number().int().nonnegative().nullable(),
  memoryMb: z.number().nonnegative().nullable(),
  keepAliveMs: z.number().int().nonnegative().nullable(),
  owner: tokenSchema.nullable(),
});
export type WorkloadView = z.output<typeof workloadViewSchema>;

const workloadRef = { workloadId: workloadIdSchema };

export const InvokeWorkload = defineCommand(EDGE_AGENT_DOMAIN, 'workload.invoke', {
  data: invokeBodySchema.extend(workloadRef),
  result: invocationResultSchema,
});
export const PrewarmWorkload = defineCommand(EDGE_AGENT_DOMAIN, 'workload.prewarm', {
  data: prewarmBodySchema.extend(workloadRef),
  result: workloadViewSchema,
});
export const CoolWorkload = defineCommand(EDGE_AGENT_DOMAIN, 'workload.cool', {
  data: z.strictObject(workloadRef),
  result: workloadViewSchema,
});
export const ListWorkloads = defineQuery(EDGE_AGENT_DOMAIN, 'workload.list', {
  data: z.strictObject({}),
  result: z.strictObject({ workloads: z.array(workloadViewSchema) }),
});

/** Adds a workload to the edge, kept across restarts; the same spec again is a no-op, another one a CONFLICT. */
export const DeployWorkload = defineCommand(EDGE_AGENT_DOMAIN, 'workload.deploy', {
  data: z.strictObject({ spec: workloadSpecSchema }),
  result: workloadViewSchema,
});

export const agentStatusSchema = z.strictObject({
  edgeId: tokenSchema,
  instanceId: tokenSchema,
  lifecycle: edgeLifecycleSchema.nullable(),
  registered: z.boolean(),
  leaseHeld: z.boolean(),
  fencingToken: z.number().int().positive().nullable(),
  draining: z.boolean(),
  inFlight: z.number().int().nonnegative(),
});
export const GetAgentStatus = defineQuery(EDGE_AGENT_DOMAIN, 'agent.status', {
  data: z.strictObject({}),
  result: agentStatusSchema,
});

/** The subject an agent serves a definition on: `<ns>.edge.<edgeId>.<name>`. */
export function edgeRequestSubject(
  subjects: SubjectSpace,
  edgeId: string,
  definition: RequestDefinition,
): string {
  return subjects.edgeRequest(edgeId, definition.name);
}

// ── CPU load for demos: the agent burns CPU in its own process ───────────────

export const CPU_LOAD_LIMITS = { maxDurationMs: 10 * 60_000, minDurationMs: 100 } as const;

export const cpuLoadBodySchema = z.strictObject({
  /** Share of one core to keep busy, 1–100. */
  cpuPercent: z.number().int().min(1).max(100),
  durationMs: z.number().int().min(CPU_LOAD_LIMITS.minDurationMs).max(CPU_LOAD_LIMITS.maxDurationMs),
});
export const cpuLoadViewSchema = z.strictObject({
  running: z.boolean(),
  cpuPercent: z.number().int().min(1).max(100).nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  startedAt: z.iso.datetime().nullable(),
  endsAt: z.iso.datetime().nullable(),
  /** CPU time this load (or the last one) spent busy, in ms. */
  burnedMs: z.number().nonnegative(),
  /** Who started it (the authenticated principal). */
  actor: z.string().nullable(),
});
export type CpuLoadView = z.output<typeof cpuLoadViewSchema>;

/** Starts burning CPU (one load at a time: a second is a CONFLICT until the first ends or is cancelled). */
export const StartCpuLoad = defineCommand(EDGE_AGENT_DOMAIN, 'admin.load', {
  data: cpuLoadBodySchema,
  result: cpuLoadViewSchema,
});
export const CancelCpuLoad = defineCommand(EDGE_AGENT_DOMAIN, 'admin.load.cancel', {
  data: z.strictObject({}),
  result: cpuLoadViewSchema,
});
export const GetCpuLoad = defineQuery(EDGE_AGENT_DOMAIN, 'admin.load.get', {
  data: z.strictObject({}),
  result: cpuLoadViewSchema,
});

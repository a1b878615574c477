import { tokenSchema } from '../envelope';
import { z } from 'zod';

/**
 * A function workload (declared in an agent's EDGE_WORKLOADS or deployed by command): an invocation on a cold workload pays `initMs` (really waited) and
 * `memoryMb` (really allocated, held while the instance lives); a warm instance serves at once and
 * is dropped after `keepAliveMs` without work. `prewarm` instances are started during warming.
 */
export const functionSpecSchema = z.strictObject({
  id: tokenSchema,
  kind: z.literal('function'),
  initMs: z.number().int().min(0).max(120_000),
  memoryMb: z.number().min(0).max(4096),
  execMs: z.number().int().min(0).max(60_000).default(0),
  keepAliveMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3_600_000)
    .default(60_000),
  maxInstances: z.number().int().min(1).max(1024).default(64),
  prewarm: z.number().int().min(0).max(1024).default(0),
});
export type FunctionSpec = z.output<typeof functionSpecSchema>;

/** A stateful workload: a key/value store on the agent's disk. */
export const kvSpecSchema = z.strictObject({ id: tokenSchema, kind: z.literal('kv') });
export type KvSpec = z.output<typeof kvSpecSchema>;

export const workloadSpecSchema = z.discriminatedUnion('kind', [functionSpecSchema, kvSpecSchema]);
export type WorkloadSpec = z.output<typeof workloadSpecSchema>;

export const workloadSpecsSchema = z
  .array(workloadSpecSchema)
  .max(256)
  .refine((specs) => new Set(specs.map((spec) => spec.id)).size === specs.length, 'workload ids must differ');

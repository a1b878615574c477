import { readFileSync } from 'node:fs';
import { edgeRegistrationSchema, geoPointSchema, parseWith, tokenSchema } from '@kailash/contracts';
import { z } from 'zod';

/**
 * A fleet file: the edges to start as agents, the workloads each hosts, and where the clients that
 * call them sit. The edge fields are exactly what state-svc registers, so a file that loads here
 * registers there.
 */

const workloadNameSchema = tokenSchema;

/**
 * A function workload: a cold invocation really waits `initMs` and allocates `memoryMb` on the
 * agent; every invocation then runs `execMs`; an idle warm instance is dropped after `keepAliveMs`.
 */
export const fleetFunctionSchema = z.strictObject({
  name: workloadNameSchema,
  initMs: z.number().int().min(0).max(60_000),
  memoryMb: z.number().int().min(0).max(4096),
  execMs: z.number().int().min(0).max(60_000),
  keepAliveMs: z
    .number()
    .int()
    .min(1000)
    .max(24 * 3600_000),
});
export type FleetFunction = z.output<typeof fleetFunctionSchema>;

/** A stateful workload: a key/value store on the agent's disk. */
export const fleetKvStoreSchema = z.strictObject({
  name: workloadNameSchema,
  /** How many distinct keys the load generator spreads its gets and puts over. */
  keys: z.number().int().min(1).max(1_000_000).default(1000),
});
export type FleetKvStore = z.output<typeof fleetKvStoreSchema>;

export const fleetEdgeSchema = edgeRegistrationSchema.extend({
  edgeId: tokenSchema,
  /** Names of the fleet's workloads this edge hosts; all of them when absent. */
  workloads: z.array(workloadNameSchema).max(64).optional(),
});
export type FleetEdge = z.output<typeof fleetEdgeSchema>;

/** A population of clients: where requests come from, and how large a share of them. */
export const fleetClientSchema = z.strictObject({
  name: z.string().min(1).max(64),
  location: geoPointSchema,
  /** ISO 3166-1 alpha-2: decides residency rules (GDPR for EU subjects) in placement. */
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as FR'),
  weight: z.number().positive().max(1000),
});
export type FleetClient = z.output<typeof fleetClientSchema>;

export const fleetFileSchema = z
  .strictObject({
    name: tokenSchema,
    description: z.string().max(1024).default(''),
    workloads: z.strictObject({
      functions: z.array(fleetFunctionSchema).max(64).default([]),
      kv: z.array(fleetKvStoreSchema).max(16).default([]),
    }),
    edges: z.array(fleetEdgeSchema).min(1).max(500),
    clients: z.array(fleetClientSchema).min(1).max(200),
  })
  .superRefine((fleet, context) => {
    const declared = new Set([...fleet.workloads.functions, ...fleet.workloads.kv].map((w) => w.name));
    duplicates([...fleet.workloads.functions, ...fleet.workloads.kv].map((w) => w.name)).forEach((name) =>
      context.addIssue({
        code: 'custom',
        path: ['workloads'],
        message: `workload ${name} is declared twice`,
      }),
    );
    duplicates(fleet.edges.map((edge) => edge.edgeId)).forEach((edgeId) =>
      context.addIssue({ code: 'custom', path: ['edges'], message: `edge ${edgeId} appears twice` }),
    );
    fleet.edges.forEach((edge, index) => {
      if (!edge.workloads) return;
      edge.workloads.forEach((name, w) => {
        if (!declared.has(name))
          context.addIssue({
            code: 'custom',
            path: ['edges', index, 'workloads', w],
            message: `${name} is not a workload of this fleet`,
          });
      });
      // state-svc may make any active edge the owner of a store, so every edge hosts every store.
      const missing = fleet.workloads.kv.filter((store) => !edge.workloads?.includes(store.name));
      if (missing.length > 0)
        context.addIssue({
          code: 'custom',
          path: ['edges', index, 'workloads'],
          message: `every edge hosts every key/value store; missing ${missing.map((s) => s.name).join(', ')}`,
        });
    });
  });
export type FleetFile = z.output<typeof fleetFileSchema>;

function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(names.filter((name) => seen.size === seen.add(name).size))];
}

/** The workload names an edge hosts. */
export function workloadsOf(fleet: FleetFile, edge: FleetEdge): string[] {
  return (
    edge.workloads ?? [...fleet.workloads.functions, ...fleet.workloads.kv].map((workload) => workload.name)
  );
}

/** Parses a fleet file; errors name the file and each bad field. */
export function parseFleet(json: unknown, source = 'fleet'): FleetFile {
  return parseWith(fleetFileSchema, json, source);
}

export function loadFleet(path: string): FleetFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
  return parseFleet(json, path);
}

import { join } from 'node:path';
import type { WorkloadSpec } from '@kailash/contracts';
import { parseWith, workloadSpecsSchema } from '@kailash/contracts';
import type { z } from 'zod';
import type { FleetEdge, FleetFile } from '../fleet/fleet-file';
import { workloadsOf } from '../fleet/fleet-file';

/** Where and how one agent of the fleet runs. */
export interface AgentLaunch {
  readonly edgeId: string;
  readonly port: number;
  readonly dataDir: string;
  readonly logFile: string;
  readonly env: Readonly<Record<string, string>>;
}

export interface LaunchSettings {
  readonly basePort: number;
  /** The agents' data directories and logs go under it, one folder per edge. */
  readonly varDir: string;
  /** NATS, namespace, API keys and anything else every agent shares. */
  readonly sharedEnv: Readonly<Record<string, string>>;
}

/**
 * The environment an agent is configured with (apps/edge-agent's EDGE_* variables): its edge as
 * state-svc registers it, its data directory, and the workloads it hosts with their declared
 * cold-start costs. Tags, cost and provider are not agent settings; the runner records them on
 * the edge once it is registered (see `describeEdges`).
 */
export function agentEnv(
  fleet: FleetFile,
  edge: FleetEdge,
  port: number,
  dataDir: string,
): Record<string, string> {
  const hosted = new Set(workloadsOf(fleet, edge));
  const workloads: z.input<typeof workloadSpecsSchema> = [
    ...fleet.workloads.functions
      .filter((fn) => hosted.has(fn.name))
      .map((fn) => ({
        id: fn.name,
        kind: 'function' as const,
        initMs: fn.initMs,
        memoryMb: fn.memoryMb,
        execMs: fn.execMs,
        keepAliveMs: fn.keepAliveMs,
      })),
    ...fleet.workloads.kv
      .filter((store) => hosted.has(store.name))
      .map((store) => ({ id: store.name, kind: 'kv' as const })),
  ];
  // Checked here with the agent's own schema, so a fleet the agent would refuse fails before any starts.
  const specs: WorkloadSpec[] = parseWith(workloadSpecsSchema, workloads, `workloads of ${edge.edgeId}`);
  return {
    PORT: String(port),
    EDGE_ID: edge.edgeId,
    EDGE_NAME: edge.name,
    EDGE_REGION: edge.region,
    EDGE_LOCATION: `${edge.location.lat},${edge.location.lon}`,
    EDGE_ZONES: edge.zones.join(','),
    EDGE_CAPACITY: Object.entries(edge.capacity)
      .map(([resource, amount]) => `${resource}=${amount}`)
      .join(','),
    EDGE_ENDPOINT: `http://127.0.0.1:${port}`,
    EDGE_DATA_DIR: dataDir,
    EDGE_WORKLOADS: JSON.stringify(specs),
  };
}

export function planLaunches(
  fleet: FleetFile,
  settings: LaunchSettings,
  limit = fleet.edges.length,
): AgentLaunch[] {
  return fleet.edges.slice(0, limit).map((edge, index) => {
    const port = settings.basePort + index;
    const dataDir = join(settings.varDir, 'data', edge.edgeId);
    return {
      edgeId: edge.edgeId,
      port,
      dataDir,
      logFile: join(settings.varDir, 'log', `${edge.edgeId}.log`),
      env: { ...settings.sharedEnv, ...agentEnv(fleet, edge, port, dataDir) },
    };
  });
}

import { STATE_DOMAIN } from '../state/edge.requests';

/**
 * Who talks to whom over NATS. Each service connects as its own NATS user, and its subject
 * permissions are derived from this table, so a leaked credential of one service cannot write
 * another domain's events or call what that service never calls.
 */
export interface ServiceTopology {
  /** NATS user name, queue group and `source.service` of the events it publishes. */
  readonly service: string;
  /** The domain whose stream it writes and whose commands and queries it serves. */
  readonly domain?: string;
  /** Domains whose events it projects (read through JetStream consumers). */
  readonly consumes: readonly string[];
  /** Domains whose commands and queries it sends. */
  readonly calls: readonly string[];
  /** Whether it publishes telemetry (an edge) or reads it (monitoring, warming). */
  readonly telemetry: 'publish' | 'consume' | 'none';
  /** Request subjects of its own it serves, below `<ns>.` (an edge agent's `edge.>`). */
  readonly serves?: readonly string[];
  /**
   * Subjects (below the namespace) its own instances talk to each other on, e.g. Raft peer traffic:
   * it alone may publish and subscribe there, so that traffic needs no API key.
   */
  readonly peerSubjects?: readonly string[];
}

export const SERVICE_TOPOLOGY: readonly ServiceTopology[] = [
  {
    service: 'state-svc',
    domain: STATE_DOMAIN,
    // monitor: edge health and utilisation, which placement takes as edge facts.
    consumes: [STATE_DOMAIN, 'monitor'],
    calls: [],
    telemetry: 'none',
  },
  {
    service: 'coordination-svc',
    domain: 'coord',
    consumes: [STATE_DOMAIN, 'warming', 'monitor', 'migration', 'resource'],
    calls: [],
    telemetry: 'none',
    peerSubjects: ['coord.raft.>'],
  },
  {
    service: 'warming-svc',
    domain: 'warming',
    consumes: [STATE_DOMAIN],
    calls: [STATE_DOMAIN],
    telemetry: 'consume',
  },
  { service: 'monitor-svc', domain: 'monitor', consumes: [STATE_DOMAIN], calls: [], telemetry: 'consume' },
  {
    service: 'migration-svc',
    domain: 'migration',
    consumes: [STATE_DOMAIN],
    calls: [STATE_DOMAIN],
    telemetry: 'none',
  },
  {
    service: 'resource-svc',
    domain: 'resource',
    consumes: [STATE_DOMAIN, 'monitor'],
    calls: [STATE_DOMAIN],
    telemetry: 'none',
  },
  {
    service: 'edge-agent',
    // It follows the state objects' owner changes (MOVED) with a consumer of the state stream.
    consumes: [STATE_DOMAIN],
    calls: [STATE_DOMAIN, 'migration'],
    telemetry: 'publish',
    serves: ['edge.>'],
  },
];

/** TELEMETRY's retention is monitoring's policy: monitor-svc configures it; its writers only create it if missing. */
export const TELEMETRY_OWNER = 'monitor-svc';

export function topologyOf(service: string): ServiceTopology {
  const found = SERVICE_TOPOLOGY.find((entry) => entry.service === service);
  if (!found) throw new Error(`no service '${service}' in SERVICE_TOPOLOGY`);
  return found;
}

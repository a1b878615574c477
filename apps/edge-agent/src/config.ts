import type { ServiceConfig } from '@kailash/service-kit';
import { loadServiceConfig } from '@kailash/service-kit';
import { loadAgentConfig } from './config/agent-config';

export const EDGE_AGENT_SERVICE = 'edge-agent';

/** The kit's variables and the agent's EDGE_* ones, both checked at boot (no database: none needed). */
export function loadEdgeAgentConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const config = loadServiceConfig(EDGE_AGENT_SERVICE, { port: 3100 }, env);
  loadAgentConfig(config);
  return config;
}

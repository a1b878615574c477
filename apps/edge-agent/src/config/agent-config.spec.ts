import type { ServiceConfig } from '@kailash/service-kit';
import { ConfigError } from '@kailash/service-kit';
import { loadAgentConfig } from './agent-config';

const valid = {
  EDGE_ID: 'paris-1',
  EDGE_REGION: 'eu-west',
  EDGE_LOCATION: '48.85,2.35',
  EDGE_DATA_DIR: '/var/lib/edge',
  SERVICE_API_KEY: 'a-key-of-state-svc-0123',
};
const configWith = (env: Record<string, string>) =>
  ({ env, instanceId: 'host-1', SHUTDOWN_GRACE_MS: 10_000 }) as unknown as ServiceConfig;

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadAgentConfig(configWith(env));
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('the agent configuration', () => {
  it('reads an edge from the environment, with defaults for the rest', () => {
    const config = loadAgentConfig(
      configWith({
        ...valid,
        EDGE_ZONES: 'gdpr, public',
        EDGE_CAPACITY: 'cpu=4,memory=8192',
        EDGE_WORKLOADS: '[{"id":"fn","kind":"function","initMs":100,"memoryMb":8},{"id":"cart","kind":"kv"}]',
        EDGE_LEASE_TTL_MS: '3000',
      }),
    );
    expect(config).toMatchObject({
      edgeId: 'paris-1',
      name: 'paris-1',
      location: { lat: 48.85, lon: 2.35 },
      zones: ['gdpr', 'public'],
      capacity: { cpu: 4, memory: 8192 },
      leaseTtlMs: 3000,
      renewEveryMs: 1000,
      holder: 'paris-1/host-1',
    });
    expect(config.workloads[0]).toMatchObject({ id: 'fn', keepAliveMs: 60_000, prewarm: 0 });
  });

  it('names every bad or missing variable', () => {
    const problems = problemsOf({
      EDGE_ID: 'has space',
      EDGE_LOCATION: '91,0',
      EDGE_ZONES: 'moon',
      EDGE_CAPACITY: 'cpu=-1',
      EDGE_WORKLOADS: '[{"id":"x","kind":"function"}]',
      EDGE_LEASE_TTL_MS: '10',
    }).join('\n');
    for (const variable of [
      'EDGE_ID',
      'EDGE_REGION',
      'EDGE_LOCATION',
      'EDGE_ZONES',
      'EDGE_CAPACITY',
      'EDGE_DATA_DIR',
      'EDGE_WORKLOADS',
      'EDGE_LEASE_TTL_MS',
      'SERVICE_API_KEY',
    ])
      expect(problems).toContain(`${variable}`);
  });

  it('refuses workload ids used twice and JSON that does not parse', () => {
    expect(
      problemsOf({ ...valid, EDGE_WORKLOADS: '[{"id":"a","kind":"kv"},{"id":"a","kind":"kv"}]' }),
    ).toEqual(['EDGE_WORKLOADS: workload ids must differ']);
    expect(problemsOf({ ...valid, EDGE_WORKLOADS: '[not json' })[0]).toMatch(/^EDGE_WORKLOADS: must be JSON/);
  });
});

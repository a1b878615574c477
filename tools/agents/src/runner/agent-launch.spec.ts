import { join } from 'node:path';
import { loadFleet } from '../fleet/fleet-file';
import { agentEnv, planLaunches } from './agent-launch';

const europe = loadFleet(join(__dirname, '..', '..', 'fleets', 'europe.json'));

describe('agent launches', () => {
  it('configures an agent with its edge and the workloads it hosts, in the agent’s variable formats', () => {
    const madrid = europe.edges.find((edge) => edge.edgeId === 'madrid-1');
    if (!madrid) throw new Error('the Europe fleet has madrid-1');
    const env = agentEnv(europe, madrid, 4104, '/data/madrid-1');
    expect(env).toMatchObject({
      PORT: '4104',
      EDGE_ID: 'madrid-1',
      EDGE_NAME: 'Madrid 1',
      EDGE_REGION: 'eu-south',
      EDGE_LOCATION: '40.4168,-3.7038',
      EDGE_ZONES: 'gdpr',
      EDGE_CAPACITY: 'cpu=16,memory=64,storage=1000',
      EDGE_ENDPOINT: 'http://127.0.0.1:4104',
      EDGE_DATA_DIR: '/data/madrid-1',
    });
    // Madrid hosts thumbnail, search and sessions, not checkout; the agent's defaults are filled in.
    expect(JSON.parse(env['EDGE_WORKLOADS'] ?? '')).toEqual([
      expect.objectContaining({
        id: 'thumbnail',
        kind: 'function',
        initMs: 400,
        memoryMb: 16,
        execMs: 20,
        keepAliveMs: 60000,
      }),
      expect.objectContaining({
        id: 'search',
        kind: 'function',
        initMs: 150,
        memoryMb: 4,
        execMs: 5,
        keepAliveMs: 30000,
      }),
      { id: 'sessions', kind: 'kv' },
    ]);
  });

  it('gives each agent the next port and its own data and log, and honours a limit', () => {
    const launches = planLaunches(
      europe,
      { basePort: 5000, varDir: '/v', sharedEnv: { NATS_URL: 'nats://x' } },
      3,
    );
    expect(launches.map((l) => [l.edgeId, l.port, l.dataDir, l.logFile])).toEqual([
      ['paris-1', 5000, '/v/data/paris-1', '/v/log/paris-1.log'],
      ['frankfurt-1', 5001, '/v/data/frankfurt-1', '/v/log/frankfurt-1.log'],
      ['amsterdam-1', 5002, '/v/data/amsterdam-1', '/v/log/amsterdam-1.log'],
    ]);
    expect(launches.every((l) => l.env['NATS_URL'] === 'nats://x')).toBe(true);
  });
});

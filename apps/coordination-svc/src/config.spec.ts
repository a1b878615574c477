import { ConfigError } from '@kailash/service-kit';
import { historyEnabled, loadCoordConfig, replicaSettings } from './config';

const BASE = { API_KEYS: 'config-test-key-0123456789abcdef', PORT: '0' };

function problems(env: Record<string, string>): string[] {
  try {
    loadCoordConfig({ ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('coordination-svc configuration', () => {
  it('derives the replica settings of a bootstrap member', () => {
    const settings = replicaSettings(loadCoordConfig({ ...BASE, COORD_NODE_ID: '2', COORD_PEERS: '1, 2,3' }));
    expect(settings).toMatchObject({ id: 2, initialVoters: [1, 2, 3], dataDir: 'data/coord-2', tickMs: 50 });
  });

  it('gives every replica a database of its own unless DATABASE_URL names one', () => {
    const of = (env: Record<string, string>) =>
      loadCoordConfig({ ...BASE, COORD_PEERS: '1,2,3', ...env }).DATABASE_URL;
    expect(of({ COORD_NODE_ID: '2' })).toBe('postgres://postgres@127.0.0.1:5432/coordination_kailash_2');
    expect(of({ COORD_NODE_ID: '3', KAILASH_NAMESPACE: 'dev' })).toMatch(/\/coordination_dev_3$/);
    expect(of({ COORD_NODE_ID: '1', DATABASE_URL: 'postgres://u@db:5432/coord_a' })).toBe(
      'postgres://u@db:5432/coord_a',
    );
    const off = loadCoordConfig({ ...BASE, COORD_NODE_ID: '1', COORD_PEERS: '1', COORD_HISTORY: 'off' });
    expect([off.DATABASE_URL, historyEnabled(off)]).toEqual([undefined, false]);
  });

  it('starts a joining replica with no membership of its own', () => {
    const settings = replicaSettings(loadCoordConfig({ ...BASE, COORD_NODE_ID: '4', COORD_JOIN: 'true' }));
    expect(settings.initialVoters).toEqual([]);
  });

  it.each([
    [{}, /COORD_NODE_ID/],
    [{ COORD_NODE_ID: '0', COORD_PEERS: '1' }, /COORD_NODE_ID/],
    [{ COORD_NODE_ID: '1' }, /COORD_PEERS: required unless COORD_JOIN=true/],
    [{ COORD_NODE_ID: '4', COORD_PEERS: '1,2,3' }, /COORD_PEERS: must include COORD_NODE_ID/],
    [{ COORD_NODE_ID: '1', COORD_PEERS: '1,x' }, /COORD_PEERS: must be a comma-separated list/],
    [{ COORD_NODE_ID: '1', COORD_PEERS: '1,1' }, /COORD_PEERS: names a node id twice/],
    [{ COORD_NODE_ID: '1', COORD_PEERS: '1', COORD_HEARTBEAT_TICKS: '10' }, /COORD_HEARTBEAT_TICKS/],
    [{ COORD_NODE_ID: '1', COORD_PEERS: '1', COORD_SNAPSHOT_KEEP: '20000' }, /COORD_SNAPSHOT_KEEP/],
    [{ COORD_NODE_ID: '1', COORD_PEERS: '1', COORD_TICK_MS: 'fast' }, /COORD_TICK_MS/],
    [{ COORD_NODE_ID: '1', COORD_PEERS: '1', COORD_HISTORY: 'maybe' }, /COORD_HISTORY/],
  ])('refuses %j at boot, naming the variable', (env, expected) => {
    expect(problems(env).join('\n')).toMatch(expected);
  });
});

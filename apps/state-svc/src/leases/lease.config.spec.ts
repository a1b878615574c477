import { ConfigError } from '@kailash/service-kit';
import { loadLeaseConfig } from './lease.config';

describe('lease configuration', () => {
  it('defaults to a one-second sweep that drains an active edge whose lease expired', () => {
    const config = loadLeaseConfig({});
    expect(config.LEASE_SWEEP_INTERVAL_MS).toBe(1000);
    expect(config.LEASE_SWEEP_BATCH).toBe(200);
    expect([...config.LEASE_EDGE_EXPIRY_POLICY]).toEqual([['active', 'draining']]);
  });

  it('reads a policy of several pairs, or none', () => {
    const config = loadLeaseConfig({
      LEASE_EDGE_EXPIRY_POLICY: 'active>draining, warming>initialized',
      LEASE_SWEEP_INTERVAL_MS: '250',
    });
    expect([...config.LEASE_EDGE_EXPIRY_POLICY]).toEqual([
      ['active', 'draining'],
      ['warming', 'initialized'],
    ]);
    expect(config.LEASE_SWEEP_INTERVAL_MS).toBe(250);
    expect(loadLeaseConfig({ LEASE_EDGE_EXPIRY_POLICY: 'none' }).LEASE_EDGE_EXPIRY_POLICY.size).toBe(0);
  });

  it.each([
    ['LEASE_SWEEP_INTERVAL_MS', { LEASE_SWEEP_INTERVAL_MS: '10' }],
    ['LEASE_SWEEP_INTERVAL_MS', { LEASE_SWEEP_INTERVAL_MS: 'often' }],
    ['LEASE_SWEEP_BATCH', { LEASE_SWEEP_BATCH: '0' }],
    ['LEASE_EDGE_EXPIRY_POLICY', { LEASE_EDGE_EXPIRY_POLICY: 'active>sleeping' }],
    ['LEASE_EDGE_EXPIRY_POLICY', { LEASE_EDGE_EXPIRY_POLICY: 'active>active' }],
    ['LEASE_EDGE_EXPIRY_POLICY', { LEASE_EDGE_EXPIRY_POLICY: 'active>warming' }],
    ['LEASE_EDGE_EXPIRY_POLICY', { LEASE_EDGE_EXPIRY_POLICY: 'terminated>active' }],
    ['LEASE_EDGE_EXPIRY_POLICY', { LEASE_EDGE_EXPIRY_POLICY: 'active>draining,active>terminated' }],
    ['LEASE_EDGE_EXPIRY_POLICY', { LEASE_EDGE_EXPIRY_POLICY: 'active>draining>terminated' }],
  ])('stops with a message naming %s', (variable, env) => {
    expect(() => loadLeaseConfig(env)).toThrow(ConfigError);
    expect(() => loadLeaseConfig(env)).toThrow(new RegExp(`${variable}: `));
  });

  it('refuses at boot a policy the edge lifecycle would refuse at every expiry', () => {
    expect(() => loadLeaseConfig({ LEASE_EDGE_EXPIRY_POLICY: 'active>warming' })).toThrow(
      "LEASE_EDGE_EXPIRY_POLICY: 'active>warming': an edge cannot go from active to warming",
    );
  });
});

import { ConfigError, loadServiceConfig } from './service-config';

const defaults = { port: 3001, database: 'kailash_state' };
const valid = { API_KEYS: 'a-very-long-dev-key-0001' };

describe('loadServiceConfig', () => {
  it('fills defaults and parses lists', () => {
    const config = loadServiceConfig('state', defaults, { ...valid, API_KEYS: 'a-very-long-dev-key-0001, another-long-key-00002' });
    expect(config.PORT).toBe(3001);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/kailash_state');
    expect(config.API_KEYS).toEqual(['a-very-long-dev-key-0001', 'another-long-key-00002']);
    expect(config.KAILASH_NAMESPACE).toBe('kailash');
    expect(config.instanceId).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('needs no DATABASE_URL in a service without a database, and reads one if given', () => {
    expect(loadServiceConfig('agent', { port: 3100 }, valid).DATABASE_URL).toBeUndefined();
    expect(() => loadServiceConfig('agent', { port: 3100 }, { ...valid, DATABASE_URL: 'mysql://x/y' })).toThrow(/DATABASE_URL: /);
  });

  it.each([
    ['API_KEYS', {}],
    ['API_KEYS', { API_KEYS: 'short' }],
    ['PORT', { ...valid, PORT: '70000' }],
    ['PORT', { ...valid, PORT: 'eighty' }],
    ['DATABASE_URL', { ...valid, DATABASE_URL: 'mysql://x/y' }],
    ['KAILASH_NAMESPACE', { ...valid, KAILASH_NAMESPACE: 'Bad.NS' }],
    ['LOG_LEVEL', { ...valid, LOG_LEVEL: 'loud' }],
  ])('stops with a message naming %s', (variable, env) => {
    expect(() => loadServiceConfig('state', defaults, env)).toThrow(ConfigError);
    expect(() => loadServiceConfig('state', defaults, env)).toThrow(new RegExp(`${variable}: `));
  });
});

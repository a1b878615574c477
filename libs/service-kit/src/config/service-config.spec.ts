import { ConfigError, loadServiceConfig } from './service-config';

const defaults = { port: 3001, database: 'kailash_state' };
const valid = { API_KEYS: 'a-very-long-dev-key-0001' };

describe('loadServiceConfig', () => {
  it('fills defaults and parses lists', () => {
    const config = loadServiceConfig('state', defaults, {
      ...valid,
      API_KEYS: 'a-very-long-dev-key-0001, another-long-key-00002',
    });
    expect(config.PORT).toBe(3001);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/kailash_state');
    expect(config.API_KEYS).toEqual([
      { name: 'key-1', key: 'a-very-long-dev-key-0001' },
      { name: 'key-2', key: 'another-long-key-00002' },
    ]);
    expect(config.READ_AUTH).toBe('required');
    expect(config.KAILASH_NAMESPACE).toBe('kailash');
    expect(config.instanceId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(config.PROJECTION_STALL_MS).toBe(30_000);
  });

  it('names keys from `name:key` entries and numbers the unnamed ones by position', () => {
    const config = loadServiceConfig('state', defaults, {
      API_KEYS: 'alice:alice-key-0123456789,an-unnamed-key-000001',
      READ_AUTH: 'open',
    });
    expect(config.API_KEYS).toEqual([
      { name: 'alice', key: 'alice-key-0123456789' },
      { name: 'key-2', key: 'an-unnamed-key-000001' },
    ]);
    expect(config.READ_AUTH).toBe('open');
  });

  it('refuses a reserved system actor as a key name, naming it', () => {
    expect(() =>
      loadServiceConfig('state', defaults, { API_KEYS: 'lease-expiry:a-very-long-dev-key-0001' }),
    ).toThrow(/"lease-expiry" is reserved/);
  });

  it('needs no DATABASE_URL in a service without a database, and reads one if given', () => {
    expect(loadServiceConfig('agent', { port: 3100 }, valid).DATABASE_URL).toBeUndefined();
    expect(() =>
      loadServiceConfig('agent', { port: 3100 }, { ...valid, DATABASE_URL: 'mysql://x/y' }),
    ).toThrow(/DATABASE_URL: /);
  });

  it.each([
    ['API_KEYS', {}],
    ['API_KEYS', { API_KEYS: 'short' }],
    ['API_KEYS', { API_KEYS: 'ops:short' }],
    ['API_KEYS', { API_KEYS: 'lease-expiry:a-very-long-dev-key-0001' }],
    ['API_KEYS', { API_KEYS: 'state-svc:a-very-long-dev-key-0001' }],
    ['API_KEYS', { API_KEYS: 'ops:a-very-long-dev-key-0001,ops:another-long-key-00002' }],
    ['API_KEYS', { API_KEYS: 'bad name:a-very-long-dev-key-0001' }],
    ['READ_AUTH', { ...valid, READ_AUTH: 'sometimes' }],
    ['PORT', { ...valid, PORT: '70000' }],
    ['PORT', { ...valid, PORT: 'eighty' }],
    ['DATABASE_URL', { ...valid, DATABASE_URL: 'mysql://x/y' }],
    ['KAILASH_NAMESPACE', { ...valid, KAILASH_NAMESPACE: 'Bad.NS' }],
    ['LOG_LEVEL', { ...valid, LOG_LEVEL: 'loud' }],
    ['PROJECTION_STALL_MS', { ...valid, PROJECTION_STALL_MS: '10' }],
    ['PROJECTION_STALL_MS', { ...valid, PROJECTION_STALL_MS: 'soon' }],
  ])('stops with a message naming %s', (variable, env) => {
    expect(() => loadServiceConfig('state', defaults, env)).toThrow(ConfigError);
    expect(() => loadServiceConfig('state', defaults, env)).toThrow(new RegExp(`${variable}: `));
  });
});

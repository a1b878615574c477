import { ConfigError } from '@kailash/service-kit';
import { DEFAULT_HEALTH_RULES } from './health-rules';
import { loadHealthConfig } from './health.config';

describe('loadHealthConfig', () => {
  it('has the documented defaults', () => {
    expect(loadHealthConfig({})).toEqual({
      staleMs: 120_000,
      evaluateEveryMs: 10_000,
      utilisationEveryMs: 30_000,
      rules: DEFAULT_HEALTH_RULES,
    });
  });

  it('takes rules as JSON, filling in labels', () => {
    const rules = [{ name: 'gpu', metric: 'gpu', comparison: 'above', degraded: 1, unhealthy: 2, forMs: 0 }];
    expect(loadHealthConfig({ HEALTH_RULES: JSON.stringify(rules) }).rules).toEqual([
      { ...rules[0], labels: {} },
    ]);
  });

  it.each([
    [{ HEALTH_STALE_MS: '10' }, /HEALTH_STALE_MS/],
    [{ HEALTH_EVAL_MS: 'often' }, /HEALTH_EVAL_MS/],
    [{ HEALTH_RULES: 'not json' }, /HEALTH_RULES: must be JSON/],
    [
      {
        HEALTH_RULES: JSON.stringify([
          { name: 'cpu', metric: 'cpu', comparison: 'above', degraded: 90, unhealthy: 80, forMs: 0 },
        ]),
      },
      /HEALTH_RULES\.0\.unhealthy/,
    ],
    [
      {
        HEALTH_RULES: JSON.stringify([
          { name: 'cpu', metric: 'CPU!', comparison: 'above', degraded: 1, unhealthy: 2, forMs: 0 },
        ]),
      },
      /HEALTH_RULES\.0\.metric/,
    ],
  ])('refuses %j naming the variable and field', (env, message) => {
    expect(() => loadHealthConfig(env)).toThrow(ConfigError);
    expect(() => loadHealthConfig(env)).toThrow(message);
  });
});

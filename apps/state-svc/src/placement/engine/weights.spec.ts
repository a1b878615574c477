import { DEFAULT_STRATEGY_WEIGHTS, PLACEMENT_FACTORS, PLACEMENT_STRATEGIES } from '@kailash/contracts';
import { requestWeights } from './weights';

const sum = (weights: Record<string, number>) => Object.values(weights).reduce((a, b) => a + b, 0);

describe('strategy weights and overrides', () => {
  it.each(PLACEMENT_STRATEGIES)('%s has a documented default row summing to 1', (strategy) => {
    expect(sum(DEFAULT_STRATEGY_WEIGHTS[strategy])).toBeCloseTo(1, 10);
    const weights = requestWeights({ strategy });
    for (const factor of PLACEMENT_FACTORS)
      expect(weights[factor]).toBeCloseTo(DEFAULT_STRATEGY_WEIGHTS[strategy][factor], 12);
  });

  it('each strategy leans on the factor it is named for', () => {
    const heaviest = (strategy: (typeof PLACEMENT_STRATEGIES)[number]) => {
      const row = DEFAULT_STRATEGY_WEIGHTS[strategy];
      return PLACEMENT_FACTORS.reduce((best, factor) => (row[factor] > row[best] ? factor : best));
    };
    expect(heaviest('latency_optimal')).toBe('geographic');
    expect(heaviest('cost_optimal')).toBe('cost');
    expect(heaviest('capacity_optimal')).toBe('capacity');
    expect(heaviest('load_balanced')).toBe('load');
    expect(heaviest('data_locality')).toBe('dataLocality');
    expect(heaviest('compliance_first')).toBe('dataLocality');
    expect(heaviest('performance_optimal')).toBe('geographic');
  });

  it('lays overrides over the defaults and normalises to sum 1', () => {
    const weights = requestWeights({ strategy: 'balanced', weights: { geographic: 3, cost: 0 } });
    // balanced: geographic 0.3, dataLocality 0.2, load 0.2, capacity 0.1, cost 0.2 → overridden: 3, 0.2, 0.2, 0.1, 0
    expect(weights.cost).toBe(0);
    expect(weights.geographic).toBeCloseTo(3 / 3.5, 10);
    expect(weights.dataLocality).toBeCloseTo(0.2 / 3.5, 10);
    expect(sum(weights)).toBeCloseTo(1, 10);
  });

  it('ignores overrides given as undefined and refuses an all-zero set', () => {
    expect(
      requestWeights({ strategy: 'balanced', weights: { geographic: undefined } }).geographic,
    ).toBeCloseTo(0.3, 12);
    expect(() =>
      requestWeights({ strategy: 'data_locality', weights: { geographic: 0, dataLocality: 0, load: 0 } }),
    ).toThrow(/every weight/);
  });
});

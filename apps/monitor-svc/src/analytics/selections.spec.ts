import { DEFAULT_ANALYSED_METRICS, isAnalysed, scopesOf } from './selections';

describe('analysis selection rules', () => {
  it('analyses the default metrics on every edge when no rule covers a series', () => {
    expect(isAnalysed([], 'e1', 'cpu')).toBe(true);
    expect(isAnalysed([], 'e1', 'custom.queue_depth')).toBe(false);
    expect(isAnalysed([], 'e1', 'migration_progress')).toBe(false);
    expect(DEFAULT_ANALYSED_METRICS).toEqual(
      expect.arrayContaining(['cpu', 'load', 'memory', 'latency', 'error_rate']),
    );
  });

  it('lets the most specific rule win: edge named, then metric named', () => {
    const rules = [
      { edge: '*', metric: '*', analysed: false },
      { edge: '*', metric: 'custom.q', analysed: true },
      { edge: 'e2', metric: '*', analysed: false },
      { edge: 'e3', metric: 'cpu', analysed: true },
    ];
    expect(isAnalysed(rules, 'e1', 'cpu')).toBe(false);
    expect(isAnalysed(rules, 'e1', 'custom.q')).toBe(true);
    expect(isAnalysed(rules, 'e2', 'custom.q')).toBe(false);
    expect(isAnalysed(rules, 'e3', 'cpu')).toBe(true);
    expect(isAnalysed(rules, 'e3', 'memory')).toBe(false);
  });

  it('turns a request into one scope per metric, * for what is omitted', () => {
    expect(scopesOf({})).toEqual([{ edge: '*', metric: '*' }]);
    expect(scopesOf({ edgeId: 'e1', metrics: ['cpu', 'memory'] })).toEqual([
      { edge: 'e1', metric: 'cpu' },
      { edge: 'e1', metric: 'memory' },
    ]);
  });
});

import { DEFAULT_HEALTH_RULES } from './health-rules';
import { isPercentSeries, METRIC_UNITS, unitOf } from './metric-units';

describe('metric units', () => {
  it("knows the agents' cpu series: the host's and the process's busy shares are percentages", () => {
    expect(unitOf('cpu', { scope: 'host' })).toBe('percent');
    expect(unitOf('cpu', { scope: 'process' })).toBe('percent');
  });

  it('keeps the load average (and what older versions stored as cpu) apart from percentages', () => {
    expect(unitOf('load', { scope: 'host_1m_per_core' })).toBe('tasks_per_core');
    expect(unitOf('cpu', { scope: 'host_load' })).toBe('legacy_load_x100');
    expect(isPercentSeries({ metric: 'load', labels: { scope: 'host_1m_per_core' } })).toBe(false);
    expect(isPercentSeries({ metric: 'cpu', labels: { scope: 'host_load' } })).toBe(false);
  });

  it('finds a series by its scope label alone, other labels aside', () => {
    expect(unitOf('memory', { scope: 'process', workload: 'w' })).toBe('bytes');
    expect(unitOf('error_rate', { workload: 'w', kind: 'function' })).toBe('ratio');
    expect(unitOf('memory', {})).toBe('percent');
  });

  it('does not know a series it was not told about', () => {
    expect(unitOf('cpu', { scope: 'gpu' })).toBeUndefined();
    expect(unitOf('queue_depth', {})).toBeUndefined();
  });

  it('lists each (metric, scope) once and names what every percentage is a share of', () => {
    const keys = METRIC_UNITS.map((e) => `${e.metric}{${e.scope ?? ''}}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const entry of METRIC_UNITS.filter((e) => e.unit === 'percent')) expect(entry.of).toBeTruthy();
  });

  it('gives the default cpu, memory and storage health rules percentage series', () => {
    const percentRules = DEFAULT_HEALTH_RULES.filter((r) => ['cpu', 'memory', 'storage'].includes(r.name));
    expect(percentRules).toHaveLength(3);
    for (const rule of percentRules) expect(isPercentSeries(rule)).toBe(true);
  });
});

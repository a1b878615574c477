import { countsAsUtilisation } from './analytics-read';

describe('which utilisation series get_analytics counts', () => {
  const cpu = (labels: Record<string, string>) => ({ metric: 'cpu', labels });

  it('counts every cpu series when no labels are configured', () => {
    expect(countsAsUtilisation(cpu({ scope: 'host_load' }), {})).toBe(true);
    expect(countsAsUtilisation(cpu({ scope: 'process' }), {})).toBe(true);
    expect(countsAsUtilisation(cpu({}), {})).toBe(true);
  });

  it('counts only the cpu series carrying the configured labels', () => {
    const labels = { scope: 'process' };
    expect(countsAsUtilisation(cpu({ scope: 'process' }), labels)).toBe(true);
    expect(countsAsUtilisation(cpu({ scope: 'host_load' }), labels)).toBe(false);
    expect(countsAsUtilisation(cpu({}), labels)).toBe(false);
  });

  it('leaves memory to its percentage rule and error rates alone', () => {
    const labels = { scope: 'process' };
    expect(countsAsUtilisation({ metric: 'memory', labels: { scope: 'host_percent' } }, labels)).toBe(true);
    expect(countsAsUtilisation({ metric: 'memory', labels: { scope: 'process' } }, labels)).toBe(false);
    expect(countsAsUtilisation({ metric: 'error_rate', labels: { workload: 'w' } }, labels)).toBe(true);
  });
});

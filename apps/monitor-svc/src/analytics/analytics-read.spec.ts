import { countsAsUtilisation } from './analytics-read';
import { DEFAULT_ANALYTICS_CONFIG } from './analytics.config';

describe('which utilisation series get_analytics counts', () => {
  const cpu = (labels: Record<string, string>) => ({ metric: 'cpu', labels });

  it("counts the host's busy share by default, not the agent's process CPU", () => {
    const labels = DEFAULT_ANALYTICS_CONFIG.cpuLabels;
    expect(countsAsUtilisation(cpu({ scope: 'host' }), labels)).toBe(true);
    expect(countsAsUtilisation(cpu({ scope: 'process' }), labels)).toBe(false);
  });

  it('counts every percentage cpu series when no labels are configured', () => {
    expect(countsAsUtilisation(cpu({ scope: 'host' }), {})).toBe(true);
    expect(countsAsUtilisation(cpu({ scope: 'process' }), {})).toBe(true);
    expect(countsAsUtilisation(cpu({}), {})).toBe(true);
  });

  it('never counts a series that is not a percentage, whatever labels are configured', () => {
    expect(countsAsUtilisation(cpu({ scope: 'host_load' }), {})).toBe(false);
    expect(countsAsUtilisation(cpu({ scope: 'host_load' }), { scope: 'host_load' })).toBe(false);
    expect(countsAsUtilisation(cpu({ scope: 'made_up' }), {})).toBe(false);
  });

  it('counts only the cpu series carrying the configured labels', () => {
    const labels = { scope: 'process' };
    expect(countsAsUtilisation(cpu({ scope: 'process' }), labels)).toBe(true);
    expect(countsAsUtilisation(cpu({ scope: 'host' }), labels)).toBe(false);
    expect(countsAsUtilisation(cpu({}), labels)).toBe(false);
  });

  it('leaves memory to its percentage rule and error rates alone', () => {
    const labels = { scope: 'process' };
    expect(countsAsUtilisation({ metric: 'memory', labels: { scope: 'host_percent' } }, labels)).toBe(true);
    expect(countsAsUtilisation({ metric: 'memory', labels: { scope: 'process' } }, labels)).toBe(false);
    expect(countsAsUtilisation({ metric: 'error_rate', labels: { workload: 'w' } }, labels)).toBe(true);
  });
});

import type { HealthReason } from '@kailash/contracts';
import { describeReasons } from './health-read';

const reason = (over: Partial<HealthReason>): HealthReason => ({
  rule: 'cpu',
  metric: 'cpu',
  labels: { scope: 'process' },
  level: 'degraded',
  value: 27.348344229697812,
  threshold: 10,
  comparison: 'above',
  since: '2026-12-01T15:43:59.378Z',
  ...over,
});

describe('health reasons in words', () => {
  it('names the value, the level and the breach that brought it', () => {
    expect(describeReasons([reason({})])).toBe(
      'cpu 27.3, degraded for above 10 since 2026-12-01T15:43:59.378Z',
    );
  });

  it('does not call a value back under its threshold "above" it while the level holds', () => {
    const text = describeReasons([reason({ value: 0.5890613014046446 })]);
    expect(text).toBe('cpu 0.589, degraded for above 10 since 2026-12-01T15:43:59.378Z');
    expect(text).not.toMatch(/0\.589 above/);
  });

  it('joins several reasons and says nothing without one', () => {
    const two = describeReasons([
      reason({}),
      reason({ metric: 'memory', value: 96, threshold: 95, level: 'unhealthy' }),
    ]);
    expect(two).toContain('; memory 96, unhealthy for above 95 since');
    expect(describeReasons([])).toBeUndefined();
  });
});

import type { HealthRule } from './health-rules';
import type { EdgeVerdict, LatestSample } from './health-verdict';
import { judgeEdge, NEVER_JUDGED } from './health-verdict';
import { utilisationOf } from './utilisation';

const CPU: HealthRule = {
  name: 'cpu',
  metric: 'cpu',
  labels: { scope: 'host' },
  comparison: 'above',
  degraded: 80,
  unhealthy: 95,
  forMs: 60_000,
};
const AVAILABILITY: HealthRule = {
  name: 'availability',
  metric: 'availability',
  labels: {},
  comparison: 'below',
  degraded: 0.99,
  unhealthy: 0.9,
  forMs: 0,
};
const STALE_MS = 120_000;
const T0 = Date.parse('2026-12-01T08:00:00.000Z');

const cpu = (value: number, atMs: number, scope = 'host'): LatestSample => ({
  metric: 'cpu',
  labels: { scope },
  value,
  atMs,
});

/** Judges an edge at each (time, samples) step in turn, as the evaluator does round after round. */
function follow(steps: readonly [number, LatestSample[]][], rules = [CPU]): EdgeVerdict[] {
  const verdicts: EdgeVerdict[] = [];
  let previous = NEVER_JUDGED;
  for (const [nowMs, samples] of steps) {
    previous = judgeEdge({ previous, samples, rules, staleMs: STALE_MS, nowMs }).verdict;
    verdicts.push(previous);
  }
  return verdicts;
}

describe('judgeEdge', () => {
  it('goes degraded only after the value stayed past the threshold for the whole duration', () => {
    const at = (s: number) => T0 + s * 1000;
    const verdicts = follow([
      [at(0), [cpu(85, at(0))]],
      [at(30), [cpu(86, at(30))]],
      [at(60), [cpu(87, at(60))]],
    ]);
    expect(verdicts.map((v) => v.status)).toEqual(['healthy', 'healthy', 'degraded']);
    expect(verdicts[2]?.reasons).toEqual([
      {
        rule: 'cpu',
        metric: 'cpu',
        labels: { scope: 'host' },
        level: 'degraded',
        value: 87,
        threshold: 80,
        comparison: 'above',
        since: new Date(at(0)).toISOString(),
      },
    ]);
    expect(verdicts.map((v) => v.change)).toEqual([1, 1, 2]);
    expect(verdicts[2]?.sinceMs).toBe(at(60));
  });

  it('ignores one spike and one dip shorter than the duration', () => {
    const at = (s: number) => T0 + s * 1000;
    const spike = follow([
      [at(0), [cpu(10, at(0))]],
      [at(10), [cpu(99, at(10))]],
      [at(20), [cpu(10, at(20))]],
      [at(90), [cpu(12, at(90))]],
    ]);
    expect(spike.map((v) => v.status)).toEqual(['healthy', 'healthy', 'healthy', 'healthy']);
    const dip = follow([
      [at(0), [cpu(99, at(0))]],
      [at(60), [cpu(99, at(60))]],
      [at(70), [cpu(10, at(70))]],
      [at(80), [cpu(99, at(80))]],
      [at(150), [cpu(99, at(150))]],
    ]);
    expect(dip.map((v) => v.status)).toEqual(['healthy', 'unhealthy', 'unhealthy', 'unhealthy', 'unhealthy']);
    // The breach that brought it in force is still the one named, despite the short dip.
    expect(dip[4]?.reasons[0]).toMatchObject({ level: 'unhealthy', since: new Date(at(0)).toISOString() });
  });

  it('escalates degraded → unhealthy, and recovers only after the value stayed good for the duration', () => {
    const at = (s: number) => T0 + s * 1000;
    const verdicts = follow([
      [at(0), [cpu(85, at(0))]],
      [at(60), [cpu(97, at(60))]],
      [at(120), [cpu(97, at(120))]],
      [at(130), [cpu(20, at(130))]],
      [at(189), [cpu(20, at(189))]],
      [at(190), [cpu(20, at(190))]],
    ]);
    expect(verdicts.map((v) => v.status)).toEqual([
      'healthy',
      'degraded',
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'healthy',
    ]);
    expect(verdicts[2]?.reasons).toEqual([
      expect.objectContaining({ level: 'unhealthy', threshold: 95, value: 97 }),
    ]);
    expect(verdicts.at(-1)?.reasons).toEqual([]);
  });

  it('takes the worst matching series and only the labels the rule names', () => {
    const verdict = follow(
      [[T0, [cpu(99, T0, 'process'), cpu(50, T0), cpu(96, T0)]]],
      [{ ...CPU, forMs: 0 }],
    )[0];
    expect(verdict).toMatchObject({ status: 'unhealthy' });
    expect(verdict?.reasons[0]).toMatchObject({ value: 96 });
  });

  it('judges low-is-bad metrics by ≤ thresholds', () => {
    const sample = (value: number): LatestSample => ({ metric: 'availability', labels: {}, value, atMs: T0 });
    const statusOf = (value: number) => follow([[T0, [sample(value)]]], [AVAILABILITY])[0]?.status;
    expect([statusOf(1), statusOf(0.99), statusOf(0.95), statusOf(0.9)]).toEqual([
      'healthy',
      'degraded',
      'degraded',
      'unhealthy',
    ]);
  });

  it('is unknown once no sample is newer than HEALTH_STALE_MS, naming the age, and starts over after', () => {
    const verdicts = follow([
      [T0, [cpu(99, T0)]],
      [T0 + 60_000, [cpu(99, T0 + 60_000)]],
      [T0 + 60_000 + STALE_MS + 1, [cpu(99, T0 + 60_000)]],
      [T0 + 200_000, [cpu(99, T0 + 200_000)]],
    ]);
    expect(verdicts.map((v) => v.status)).toEqual(['healthy', 'unhealthy', 'unknown', 'healthy']);
    expect(verdicts[2]?.reasons).toEqual([
      expect.objectContaining({ rule: 'stale', level: 'unknown', value: STALE_MS + 1, threshold: STALE_MS }),
    ]);
    expect(verdicts[2]?.rules).toEqual({});
  });

  it('judges a never-seen edge unknown → healthy as its first change', () => {
    const { verdict, changed } = judgeEdge({
      previous: NEVER_JUDGED,
      samples: [cpu(1, T0)],
      rules: [CPU],
      staleMs: STALE_MS,
      nowMs: T0,
    });
    expect([changed, verdict.status, verdict.change]).toEqual([true, 'healthy', 1]);
  });
});

describe('utilisationOf', () => {
  it('gives fractions of the fresh percentage series, clamped to 0-1', () => {
    const samples: LatestSample[] = [
      cpu(150, T0),
      { metric: 'memory', labels: { scope: 'host_percent' }, value: 40, atMs: T0 },
      { metric: 'memory', labels: { scope: 'process' }, value: 5e7, atMs: T0 },
      { metric: 'storage', labels: { scope: 'used_percent' }, value: 30, atMs: T0 - STALE_MS - 1 },
    ];
    expect(utilisationOf(samples, T0, STALE_MS)).toEqual({ cpu: 1, memory: 0.4 });
    expect(utilisationOf([cpu(-3, T0)], T0, STALE_MS)).toEqual({ cpu: 0 });
  });

  it("reads the host's busy share for cpu, never the load average or the process CPU", () => {
    const samples: LatestSample[] = [
      cpu(35, T0),
      cpu(99, T0, 'process'),
      cpu(150, T0, 'host_load'),
      { metric: 'load', labels: { scope: 'host_1m_per_core' }, value: 1.5, atMs: T0 },
    ];
    expect(utilisationOf(samples, T0, STALE_MS)).toEqual({ cpu: 0.35 });
    expect(utilisationOf(samples.slice(1), T0, STALE_MS)).toEqual({});
  });
});

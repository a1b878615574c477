import { loadavg } from 'node:os';
import type { ChurnResult } from './churn';
import type { SizeResult } from './main';
import { fmt, gb, int, mib, p } from './measure';

interface Check {
  readonly name: string;
  readonly figure: string;
  readonly met: boolean;
}

/** Each target against this run's figures; a missed one names its figure and the edges it examined. */
export function verdict(results: readonly SizeResult[], churn: ChurnResult): string {
  const checks: Check[] = [
    ...strategyChecks(results, 100_000, 1),
    ...strategyChecks(results, 1_000_000, 5),
    ...results
      .filter((result) => result.run.size === 1_000_000)
      .map((result) => ({
        name: 'fleet view at 1,000,000 edges < 1 GB (10^9 bytes)',
        figure: `${mib(result.viewBytes)} MiB = ${gb(result.viewBytes)} GB`,
        met: result.viewBytes < 1e9,
      })),
    {
      name: 'place() p99 under churn ≤ 2 ms',
      figure: `${fmt(p(churn.serviceMs, 99))} ms`,
      met: p(churn.serviceMs, 99) <= 2,
    },
    {
      name: 'view lag under churn ≤ 100 ms (p99)',
      figure: `${fmt(p(churn.lagMs, 99))} ms (max ${fmt(Math.max(...churn.lagMs))})`,
      met: p(churn.lagMs, 99) <= 100,
    },
    {
      name: 'no full rebuild during churn',
      figure: String(churn.fullRebuilds),
      met: churn.fullRebuilds === 0,
    },
  ];
  const lines = checks.map(
    (check) => `- ${check.met ? 'met' : '**missed**'}: ${check.name} — ${check.figure}`,
  );
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return `**Targets** (load average at the end of the run ${load}):\n\n${lines.join('\n')}`;
}

function strategyChecks(results: readonly SizeResult[], size: number, targetMs: number): Check[] {
  const result = results.find((r) => r.run.size === size && r.run.zones === 'geographic');
  if (!result) return [];
  return [...result.strategies].map(([strategy, timing]) => ({
    name: `${strategy} p99 ≤ ${targetMs} ms at ${int(size)} edges`,
    figure: `${fmt(p(timing.ms, 99))} ms wall, ${fmt(p(timing.cpuMs, 99))} ms CPU, examined p99 ${int(p(timing.examined, 99))}`,
    met: p(timing.ms, 99) <= targetMs,
  }));
}

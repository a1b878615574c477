import type { AgentStatus } from '../runner/agent-processes';
import type { LoadStats, OperationSummary } from './load-stats';

const ms = (value: number | null): string =>
  value === null ? '-' : value < 10 ? value.toFixed(1) : value.toFixed(0);

function operationLine(summary: OperationSummary): string {
  const failed = Object.entries(summary.failed)
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
  return `${summary.operation} ${summary.ok}/${summary.sent} ok${failed ? ` (${failed})` : ''} p50 ${ms(summary.p50Ms)} p99 ${ms(summary.p99Ms)} ms`;
}

/** One line of progress: the trace minute, the request rate since the last line, each operation. */
export function progressLine(
  stats: LoadStats,
  minute: number | null,
  sentSinceLast: number,
  secondsSinceLast: number,
): string {
  const rate = secondsSinceLast > 0 ? sentSinceLast / secondsSinceLast : 0;
  const ops = stats
    .summary()
    .filter((summary) => summary.sent > 0)
    .map(operationLine)
    .join(' | ');
  const extras = `cold starts ${stats.coldStarts}, kv misses ${stats.misses}, moved ${stats.moved}, shed ${stats.shed}, in flight ${stats.inFlight}`;
  return `${minute === null ? 'trace done' : `trace minute ${minute}`}: ${rate.toFixed(0)} req/s | ${ops || 'no requests yet'} | ${extras}`;
}

export function agentsLine(status: readonly AgentStatus[]): string {
  const count = (state: AgentStatus['state']) => status.filter((agent) => agent.state === state).length;
  return `agents: ${count('ready')} ready, ${count('starting')} starting, ${count('draining')} draining, ${count('exited')} exited of ${status.length}`;
}

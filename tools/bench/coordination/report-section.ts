import type { FailoverFigure } from './failover';
import type { LoadFigure } from './load';

export interface TargetFigures {
  readonly name: string;
  readonly retryPolicy: string;
  readonly puts: readonly (LoadFigure & { readonly cpuMsPerPut: readonly number[] })[];
  readonly reads: LoadFigure;
  readonly failover: readonly FailoverFigure[];
}

interface SectionInput {
  readonly machine: string;
  readonly etcdVersion: string | undefined;
  readonly seconds: number;
  readonly results: readonly TargetFigures[];
  readonly notes: readonly string[];
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '—');
const rate = (value: number) => Math.round(value).toLocaleString('en');

function putTable(results: readonly TargetFigures[]): string {
  const rows = results.flatMap((r) =>
    r.puts.map(
      (f) =>
        `| ${r.name} | ${f.inFlight} | ${rate(f.perSecond)} | ${ms(f.p50Ms)} | ${ms(f.p99Ms)} | ${f.operations.toLocaleString('en')} | ${f.errors} | ${f.cpuMsPerPut.map((c) => c.toFixed(2)).join(' / ')} |`,
    ),
  );
  return [
    '| target | in flight | puts/s | p50 ms | p99 ms | puts | errors | CPU ms per put, each member (busiest first) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function readTable(results: readonly TargetFigures[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${rate(r.reads.perSecond)} | ${ms(r.reads.p50Ms)} | ${ms(r.reads.p99Ms)} | ${r.reads.errors} |`,
  );
  return [
    '| target | reads/s (1 in flight) | p50 ms | p99 ms | errors |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function failoverTable(results: readonly TargetFigures[]): string {
  const rows = results.map((r) => {
    const times = r.failover.map((f) => f.msToNextAck);
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    const elected = r.failover.map((f) => f.msToNewLeader.toFixed(0)).join(', ');
    return `| ${r.name} | ${times.map((t) => t.toFixed(0)).join(', ')} | ${median.toFixed(0)} | ${elected} | ${r.failover.map((f) => f.failedPuts).join(', ')} | ${r.retryPolicy} |`;
  });
  return [
    '| target | kill -9 leader → next acknowledged put, ms (each trial) | median ms | kill → a survivor reports itself leader, ms | puts failed after client retries | client retry policy |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The coordination section of docs/benchmarks.md. */
export function renderSection(input: SectionInput): string {
  const lines = [
    '## Coordination (`apps/coordination-svc` next to etcd)',
    '',
    input.machine,
    '',
    `etcd: ${input.etcdVersion ?? 'not installed'}, 3 members on loopback, fresh data directories, default heartbeat 100 ms / election 1,000 ms, Node client \`etcd3\`.`,
    `Closed loop: each of N workers puts a 64-byte value, waits for the acknowledgement, puts again, for ${input.seconds} s per level;`,
    'reads are linearizable gets of one key, one at a time. Failover: one client puts sequentially; the leader is killed with',
    'SIGKILL; the figure is the time from the signal to the acknowledgement of the first put called after it. The killed member',
    'is restarted between trials.',
    '',
    '### Puts',
    '',
    putTable(input.results),
    '',
    '### Linearizable reads',
    '',
    readTable(input.results),
    '',
    '### Failover as a client sees it',
    '',
    failoverTable(input.results),
  ];
  lines.push('', '### Targets', '', ...targetLines(input.results));
  if (input.notes.length > 0) lines.push('', ...input.notes.map((note) => `- ${note}`));
  return lines.join('\n');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The targets, judged on this run's figures. */
function targetLines(results: readonly TargetFigures[]): string[] {
  const etcd = results.find((r) => r.name === 'etcd');
  const coord = results.find((r) => r.name === 'coordination-svc');
  if (!etcd || !coord) return ['- Not judged: both targets must be measured in the same run.'];
  const at64 = (r: TargetFigures) => r.puts.find((f) => f.inFlight === 64)?.perSecond ?? Number.NaN;
  const ratio = at64(coord) / at64(etcd);
  const failover = median(coord.failover.map((f) => f.msToNextAck));
  const worst = Math.max(...coord.failover.map((f) => f.msToNextAck));
  const tuned = results
    .filter((r) => r.name.startsWith('coordination-svc (') && r.failover.length > 0)
    .map(
      (r) =>
        `- ${r.name}: failover median ${median(r.failover.map((f) => f.msToNextAck)).toFixed(0)} ms, worst ${Math.max(...r.failover.map((f) => f.msToNextAck)).toFixed(0)} ms.`,
    );
  const elected = median(coord.failover.map((f) => f.msToNewLeader));
  return [
    `- coordination-svc failover split: a survivor reports itself leader a median ${elected.toFixed(0)} ms after the kill; the client's next put is acknowledged ${(failover - elected).toFixed(0)} ms after that (a put in flight to the dead leader gets no answer and is retried only when its attempt times out; rows with a shorter client attempt timeout, if any, show the effect).`,
    ...tuned,
    `- Puts/s at 64 in flight, coordination-svc ÷ etcd: ${ratio.toFixed(2)}× (target ≥ 1×): ${ratio >= 1 ? 'met' : 'not met'} in this run.`,
    `- Client-observed failover, coordination-svc median ${failover.toFixed(0)} ms, worst ${worst.toFixed(0)} ms (target ≤ 1,000 ms): ${worst <= 1_000 ? 'met' : failover <= 1_000 ? 'met at the median, not in every trial' : 'not met'}; etcd median ${median(etcd.failover.map((f) => f.msToNextAck)).toFixed(0)} ms.`,
  ];
}

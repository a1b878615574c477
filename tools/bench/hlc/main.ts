/**
 * Throughput of the HLC hot paths: stamping (now), merging (receive), and the string codec.
 * Each operation runs in several timed rounds after a warm-up; the median round is reported so one
 * GC pause or JIT tier-up does not decide the figure.
 */
import { encodeHlc, HybridLogicalClock, type HlcTimestamp, parseHlc } from '@kailash/hlc';
import { machineLine, writeBenchSection } from '../report';

const COMMAND = 'npm run bench:hlc';
const ITERATIONS = 1_000_000;
const ROUNDS = 7;

interface Result {
  name: string;
  opsPerSecond: number;
  nsPerOp: number;
}

/** Keeps results observable so the JIT cannot drop the measured work. */
let sink = 0;

function measure(name: string, op: (i: number) => number): Result {
  for (let i = 0; i < ITERATIONS / 10; i += 1) sink += op(i);
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i += 1) sink += op(i);
    rounds.push(Number(process.hrtime.bigint() - start));
  }
  rounds.sort((a, b) => a - b);
  const medianNs = rounds[Math.floor(ROUNDS / 2)] ?? Number.NaN;
  return { name, opsPerSecond: (ITERATIONS * 1e9) / medianNs, nsPerOp: medianNs / ITERATIONS };
}

function remoteStamps(count: number): HlcTimestamp[] {
  // Stamps around "now" from a few peers, so receive() exercises every branch of the merge.
  const base = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    wallMs: base - 50 + (i % 100),
    logical: i % 7,
    nodeId: `peer-${i % 5}`,
  }));
}

function main(): void {
  const clock = new HybridLogicalClock({ nodeId: 'bench-local' });
  const remotes = remoteStamps(1_024);
  const encoded = remotes.map(encodeHlc);
  const pick = <T>(items: readonly T[], i: number): T => items[i & 1023] as T;

  const results = [
    measure('now()', () => clock.now().logical),
    measure('receive(HlcTimestamp)', (i) => clock.receive(pick(remotes, i)).logical),
    measure('receive(encoded string)', (i) => clock.receive(pick(encoded, i)).logical),
    measure('encodeHlc', (i) => encodeHlc(pick(remotes, i)).length),
    measure('parseHlc', (i) => parseHlc(pick(encoded, i)).logical),
  ];

  const rows = results.map(
    (r) => `| ${r.name} | ${Math.round(r.opsPerSecond).toLocaleString('en-US')} | ${r.nsPerOp.toFixed(0)} |`,
  );
  const markdown = [
    '## HLC (libs/hlc)',
    '',
    machineLine(COMMAND),
    '',
    `Median of ${ROUNDS} rounds × ${ITERATIONS.toLocaleString('en-US')} operations after a warm-up, one process, real \`Date.now\` clock.`,
    '',
    '| Operation | ops/s | ns/op |',
    '|---|---:|---:|',
    ...rows,
  ].join('\n');
  writeBenchSection('hlc', markdown);
  console.log(markdown);
  if (sink === -1) console.log('unreachable');
}

main();

/**
 * Raft benchmark: simulator commit throughput and CPU per entry (3 and 5 nodes), and durable WAL
 * append+fsync for batch sizes 1/16/256 next to raw fdatasync of the same file, all in one run.
 * Writes the raft section of docs/benchmarks.md.
 */
import { loadavg } from 'node:os';
import { machineLine, writeBenchSection } from '../report';
import { measureSimulator, type SimulatorFigure } from './simulator';
import { measureRawFdatasync, measureWal, withTempDirectory, type WalFigure } from './wal';

const COMMAND = 'npm run bench:raft';

function simulatorTable(figures: readonly SimulatorFigure[]): string {
  const rows = figures.map(
    (f) =>
      `| ${f.voters} | ${f.committed.toLocaleString('en')} | ${Math.round(f.commitsPerSecond).toLocaleString('en')} | ${f.cpuMicrosPerEntry.toFixed(1)} | ${f.wallSeconds.toFixed(2)} | ${f.virtualSeconds.toFixed(1)} |`,
  );
  return [
    '| nodes | entries committed | commits/s (wall) | CPU µs per committed entry (all replicas) | wall s | virtual s |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function walTable(figures: readonly WalFigure[]): string {
  const rows = figures.map(
    (f) =>
      `| ${f.label} | ${f.batches.toLocaleString('en')} | ${Math.round(f.batchesPerSecond).toLocaleString('en')} | ${Math.round(f.entriesPerSecond).toLocaleString('en')} | ${f.p50Micros.toFixed(0)} | ${f.p99Micros.toFixed(0)} |`,
  );
  return [
    '| what | batches | fsyncs/s | entries/s | p50 µs per batch | p99 µs per batch |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function main(): void {
  const loadAtStart = loadavg()[0]?.toFixed(1) ?? '?';
  const simulator = [3, 5].map((voters) => {
    measureSimulator(voters, 5_000); // warm-up
    return measureSimulator(voters, 50_000);
  });
  for (const figure of simulator) console.log(figure);

  const wal = withTempDirectory((directory) => {
    measureWal(directory, 1, 50); // warm-up; also creates the segment the raw baseline writes to
    const figures: WalFigure[] = [];
    figures.push(measureRawFdatasync(directory, 2000));
    figures.push(measureWal(directory, 1, 2000));
    figures.push(measureWal(directory, 16, 1000));
    figures.push(measureWal(directory, 256, 300));
    figures.push(measureRawFdatasync(directory, 2000));
    return figures;
  });
  for (const figure of wal) console.log(figure);

  writeBenchSection(
    'raft',
    [
      '## Raft (`libs/raft`)',
      '',
      machineLine(COMMAND),
      `1-minute load average when the run started: ${loadAtStart} (the machine is shared; figures are indicative).`,
      '',
      '### Simulator: commit throughput and CPU per entry',
      '',
      'One process runs every replica of the simulated cluster (1 ms virtual network, no loss, safety checker off);',
      'the leader takes 128-byte KV puts in batches of up to 64 until 50,000 entries are applied on the leader.',
      'CPU per entry is user+system time of the whole process divided by committed entries.',
      '',
      simulatorTable(simulator),
      '',
      '### Durable WAL: append + fsync per batch, next to raw fdatasync of the same file',
      '',
      'DiskStorage.save() with 256-byte entries: one write and one fdatasync per batch (plus a hard-state record).',
      'The raw baseline appends 256 bytes and calls fdatasync on the same WAL segment file, before and after the WAL runs.',
      '',
      walTable(wal),
    ].join('\n'),
  );
}

main();

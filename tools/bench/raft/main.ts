/**
 * Raft benchmark: simulator commit throughput and CPU per entry (3 and 5 nodes), and durable WAL
 * append+fsync for batch sizes 1/16/256 next to raw fdatasync of the same file, all in one run.
 * Writes the raft section of docs/benchmarks.md.
 */
import { loadavg } from 'node:os';
import { machineLine, writeBenchSection } from '../report';
import { measureSimulator, type SimulatorFigure } from './simulator';
import { DiskStorage } from '@kailash/raft';
import {
  sampleRawFdatasync,
  sampleWal,
  summarize,
  withTempDirectory,
  type WalFigure,
  type WalSample,
} from './wal';

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
    // Median of three runs by CPU per entry: the machine is shared, single runs wobble.
    const runs = [0, 1, 2].map(() => measureSimulator(voters, 30_000));
    runs.sort((a, b) => a.cpuMicrosPerEntry - b.cpuMicrosPerEntry);
    return runs[1] as SimulatorFigure;
  });
  for (const figure of simulator) console.log(figure);

  const wal = withTempDirectory((directory) => {
    const storage = DiskStorage.open(directory, { voters: [1], learners: [] });
    sampleWal(storage, 1, 50); // warm-up
    // Interleave the baseline and the WAL runs in rounds, so a burst of disk contention from other
    // processes hits all of them alike instead of skewing one.
    const samples: Record<string, WalSample[]> = { raw: [], b1: [], b16: [], b256: [] };
    for (let round = 0; round < 5; round++) {
      samples['raw']?.push(sampleRawFdatasync(directory, 400));
      samples['b1']?.push(sampleWal(storage, 1, 400));
      samples['b16']?.push(sampleWal(storage, 16, 200));
      samples['b256']?.push(sampleWal(storage, 256, 60));
    }
    storage.close();
    const figures: WalFigure[] = [
      summarize('raw write(256 B) + fdatasync, same file', samples['raw'] ?? []),
      summarize('WAL append+fsync, batch 1', samples['b1'] ?? []),
      summarize('WAL append+fsync, batch 16', samples['b16'] ?? []),
      summarize('WAL append+fsync, batch 256', samples['b256'] ?? []),
    ];
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
      'the leader takes 128-byte KV puts in batches of up to 64 until 30,000 entries are applied on the leader.',
      'CPU per entry is user+system time of the whole process divided by committed entries; median of three runs.',
      '',
      simulatorTable(simulator),
      '',
      '### Durable WAL: append + fsync per batch, next to raw fdatasync of the same file',
      '',
      'DiskStorage.save() with 256-byte entries: one write and one fdatasync per batch (plus a hard-state record).',
      'The raw baseline appends 256 bytes and calls fdatasync on the same WAL segment file; baseline and WAL runs are',
      'interleaved in 5 rounds (2,000 raw syncs, 2,000 / 1,000 / 300 WAL batches in total).',
      '',
      walTable(wal),
    ].join('\n'),
  );
}

main();

import { closeSync, fdatasyncSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskStorage, type Entry } from '@kailash/raft';
import { percentile } from '../report';

export interface WalFigure {
  readonly label: string;
  readonly batchSize: number;
  readonly batches: number;
  readonly entriesPerSecond: number;
  readonly batchesPerSecond: number;
  readonly p50Micros: number;
  readonly p99Micros: number;
}

const ENTRY_BYTES = 256;

/** Appends `batches` batches of `batchSize` 256-byte entries, each followed by one fdatasync. */
export function measureWal(directory: string, batchSize: number, batches: number): WalFigure {
  const storage = DiskStorage.open(directory, { voters: [1], learners: [] });
  const data = new Uint8Array(ENTRY_BYTES).fill(7);
  let index = storage.lastIndex();
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    const entries: Entry[] = Array.from({ length: batchSize }, () => ({ term: 1, index: ++index, type: 'normal', data }));
    const t0 = process.hrtime.bigint();
    storage.save({ entries, hardState: { term: 1, vote: 1, commit: index - batchSize }, mustSync: true });
    latencies.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  storage.close();
  return {
    label: `WAL append+fsync, batch ${batchSize}`,
    batchSize,
    batches,
    entriesPerSecond: (batches * batchSize) / seconds,
    batchesPerSecond: batches / seconds,
    p50Micros: percentile(latencies, 50),
    p99Micros: percentile(latencies, 99),
  };
}

/** Baseline: write 256 bytes + fdatasync on the very WAL segment file the runs above used. */
export function measureRawFdatasync(directory: string, iterations: number): WalFigure {
  const segment = readdirSync(directory).find((name) => name.startsWith('wal-') && name.endsWith('.log'));
  if (!segment) throw new Error('no WAL segment to measure');
  const fd = openSync(join(directory, segment), 'a');
  const bytes = Buffer.alloc(ENTRY_BYTES, 1);
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    writeSync(fd, bytes);
    fdatasyncSync(fd);
    latencies.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  closeSync(fd);
  return {
    label: 'raw write(256 B) + fdatasync, same file',
    batchSize: 1,
    batches: iterations,
    entriesPerSecond: iterations / seconds,
    batchesPerSecond: iterations / seconds,
    p50Micros: percentile(latencies, 50),
    p99Micros: percentile(latencies, 99),
  };
}

export function withTempDirectory<T>(run: (directory: string) => T): T {
  const directory = mkdtempSync(join(tmpdir(), 'raft-bench-'));
  try {
    return run(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

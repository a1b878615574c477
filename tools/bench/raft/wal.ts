import { closeSync, fdatasyncSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskStorage, type Entry } from '@kailash/raft';
import { percentile } from '../report';

/** Latencies (µs per batch) and elapsed time of one measured stretch. */
export interface WalSample {
  readonly batchSize: number;
  readonly latencies: number[];
  readonly seconds: number;
}

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
export function sampleWal(storage: DiskStorage, batchSize: number, batches: number): WalSample {
  const data = new Uint8Array(ENTRY_BYTES).fill(7);
  let index = storage.lastIndex();
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    const entries: Entry[] = Array.from({ length: batchSize }, () => ({
      term: 1,
      index: ++index,
      type: 'normal',
      data,
    }));
    const t0 = process.hrtime.bigint();
    storage.save({ entries, hardState: { term: 1, vote: 1, commit: index - batchSize }, mustSync: true });
    latencies.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return { batchSize, latencies, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** Baseline: write 256 bytes + fdatasync on the very WAL segment file the WAL runs use. */
export function sampleRawFdatasync(directory: string, iterations: number): WalSample {
  const segment = readdirSync(directory).find((name) => name.startsWith('wal-') && name.endsWith('.log'));
  if (!segment) throw new Error('no WAL segment to measure');
  const fd = openSync(join(directory, segment), 'a');
  const bytes = Buffer.alloc(ENTRY_BYTES, 1);
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  try {
    for (let i = 0; i < iterations; i++) {
      const t0 = process.hrtime.bigint();
      writeSync(fd, bytes);
      fdatasyncSync(fd);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  } finally {
    closeSync(fd);
  }
  return { batchSize: 1, latencies, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

export function summarize(label: string, samples: readonly WalSample[]): WalFigure {
  const latencies = samples.flatMap((s) => s.latencies);
  const seconds = samples.reduce((sum, s) => sum + s.seconds, 0);
  const batchSize = samples[0]?.batchSize ?? 1;
  return {
    label,
    batchSize,
    batches: latencies.length,
    entriesPerSecond: (latencies.length * batchSize) / seconds,
    batchesPerSecond: latencies.length / seconds,
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

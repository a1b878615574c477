import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

const BENCHMARKS_FILE = join(__dirname, '..', '..', 'docs', 'benchmarks.md');
const HEADER =
  '# Benchmarks\n\nEvery section is written by its benchmark script; rerun the command to refresh it.\n';

/** One line describing where and when a figure was measured. */
export function machineLine(command: string): string {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  const commit = tryExec('git rev-parse --short HEAD') ?? 'uncommitted';
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return `Measured ${new Date().toISOString()} on ${cpus().length} × ${cpu}, ${gib} GiB, Node ${process.version}, commit ${commit}, load average at start ${load}. Command: \`${command}\`.`;
}

/**
 * Replaces (or appends) the section of docs/benchmarks.md owned by one benchmark, so several
 * benchmark scripts can share the file without overwriting each other's figures.
 */
export function writeBenchSection(name: string, markdown: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const current = existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, 'utf8') : HEADER;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(BENCHMARKS_FILE, next);
}

/** Percentile of an unsorted sample, nearest-rank method. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

function tryExec(command: string): string | undefined {
  try {
    return execSync(command, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

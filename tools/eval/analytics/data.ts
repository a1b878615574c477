import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared data folder: argument, then KAILASH_DATA_DIR, then ../shared/data beside the clone. */
export function resolveDataDir(argument: string | undefined): string {
  return resolve(
    argument ?? process.env['KAILASH_DATA_DIR'] ?? join(__dirname, '..', '..', '..', '..', 'shared', 'data'),
  );
}

export function hasFile(...parts: string[]): boolean {
  return existsSync(join(...parts));
}

/** M4 training file: one row per series, id first, values after, empty cells pad the shorter rows. */
export function readM4(path: string): { id: string; values: Float64Array }[] {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.length > 0);
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.replace(/"/g, ''));
    const values = cells
      .slice(1)
      .filter((c) => c !== '' && c !== 'NA')
      .map(Number);
    return { id: cells[0] ?? '', values: Float64Array.from(values) };
  });
}

/** Wide CSV of VM columns (`step,minute,vm_*`): one Float64Array per VM column. */
export function readVmCsv(path: string): { names: string[]; series: Float64Array[] } {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const header = (lines.shift() ?? '').split(',');
  const columns = header.map((name, index) => ({ name, index })).filter(({ name }) => name.startsWith('vm_'));
  const series = columns.map(() => new Float64Array(lines.length));
  lines.forEach((line, row) => {
    const cells = line.split(',');
    columns.forEach(
      ({ index }, k) =>
        ((series[k] as Float64Array)[row] = cells[index] === '' ? Number.NaN : Number(cells[index])),
    );
  });
  return { names: columns.map((c) => c.name), series };
}

import { InvalidInputError } from '../core/errors';
import type { IndexWindow } from './nab-types';

/** A NAB data file: `timestamp,value` rows; every other column is kept by name (results files have several). */
export interface NabSeries {
  readonly timestamps: readonly string[];
  readonly values: Float64Array;
  readonly columns: Readonly<Record<string, Float64Array>>;
}

/** Parses NAB CSV text; timestamps are kept as naive `YYYY-MM-DD HH:MM:SS` strings. */
export function parseNabCsv(text: string): NabSeries {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const header = (lines.shift() ?? '').split(',');
  if (header[0] !== 'timestamp' || !header.includes('value')) {
    throw new InvalidInputError(`not a NAB CSV header: ${header.join(',')}`);
  }
  const names = header.slice(1);
  const columns: Record<string, Float64Array> = Object.fromEntries(
    names.map((n) => [n, new Float64Array(lines.length)]),
  );
  const timestamps: string[] = [];
  lines.forEach((line, row) => {
    const cells = line.split(',');
    timestamps.push(normaliseTimestamp(cells[0] ?? ''));
    names.forEach((name, k) => ((columns[name] as Float64Array)[row] = Number(cells[k + 1])));
  });
  return { timestamps, values: columns['value'] as Float64Array, columns };
}

/** `2014-04-10 07:15:00.000000` and `2014-04-10 07:15:00` name the same row. */
export function normaliseTimestamp(timestamp: string): string {
  return timestamp.trim().replace(/\.0+$/, '');
}

/** Maps the `[start, end]` timestamp pairs of combined_windows.json to row indices of the file. */
export function windowsToIndices(
  name: string,
  timestamps: readonly string[],
  windows: readonly (readonly string[])[],
): IndexWindow[] {
  const rowOf = new Map(timestamps.map((t, i) => [t, i]));
  return windows.map(([start, end]) => {
    const from = rowOf.get(normaliseTimestamp(start ?? ''));
    const to = rowOf.get(normaliseTimestamp(end ?? ''));
    if (from === undefined || to === undefined)
      throw new InvalidInputError(`${name}: window ${start}..${end} is not on a row`);
    return { start: from, end: to };
  });
}

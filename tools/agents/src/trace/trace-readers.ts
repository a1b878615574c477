import { readFileSync } from 'node:fs';
import type { Trace, TraceSeries } from './trace';
import { makeSeries, makeTrace } from './trace';

/**
 * Readers for the public traces the load generator replays. The format is told by the header:
 *
 * - NASA HTTP 1995: `minute_start_local,segment,requests,peak_requests_per_second`, one row a minute;
 *   one series, `requests`.
 * - Azure Functions 2019, one day: `HashFunction,HashApp,HashOwner,minute_1,…,minute_1440`, one row
 *   per function.
 * - Azure Functions 2019, 8 hours: `HashOwner,HashApp,HashFunction,Trigger,480,…,959`, one row per
 *   function (minute columns named by their minute of the day).
 *
 * These files are plain numeric CSV without quoted fields, so a split on commas is exact.
 */
export function readTrace(path: string): Trace {
  return parseTrace(readFileSync(path, 'utf8'), path);
}

export function parseTrace(text: string, source: string): Trace {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const header = (lines[0] ?? '').split(',');
  const rows = lines.slice(1).map((line) => line.split(','));
  if (header[0] === 'minute_start_local' && header[2] === 'requests') return nasa(rows, source);
  if (header[0] === 'HashFunction' && header[3] === 'minute_1')
    return azure('azure-functions-day', rows, 0, 3, source);
  if (header[0] === 'HashOwner' && header[2] === 'HashFunction' && header[3] === 'Trigger')
    return azure('azure-functions-8h', rows, 2, 4, source);
  throw new Error(
    `${source}: not a known trace (expected the NASA requests-per-minute or an Azure Functions invocations-per-minute CSV; header starts ${header.slice(0, 4).join(',')})`,
  );
}

function nasa(rows: string[][], source: string): Trace {
  const counts = rows.map((row, index) => count(row[2], source, index + 2, 'requests'));
  return makeTrace('nasa-http', source, [makeSeries('requests', counts)]);
}

function azure(
  kind: Trace['kind'],
  rows: string[][],
  hashColumn: number,
  firstMinuteColumn: number,
  source: string,
): Trace {
  const series: TraceSeries[] = rows.map((row, index) => {
    const hash = row[hashColumn] ?? '';
    if (!/^[0-9a-f]{12,}$/.test(hash)) throw new Error(`${source}:${index + 2}: no function hash`);
    const counts = row
      .slice(firstMinuteColumn)
      .map((cell, column) => count(cell, source, index + 2, `minute ${column + 1}`));
    return makeSeries(hash.slice(0, 12), counts);
  });
  return makeTrace(kind, source, series);
}

function count(cell: string | undefined, source: string, line: number, column: string): number {
  const value = Number(cell);
  if (cell === undefined || cell === '' || !Number.isInteger(value) || value < 0)
    throw new Error(`${source}:${line}: ${column} is not a count (${JSON.stringify(cell)})`);
  return value;
}

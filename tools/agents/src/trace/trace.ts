/**
 * A demand trace: one or more series of request counts per minute (a web server's requests, or
 * each serverless function's invocations), all of the same length.
 */
export interface TraceSeries {
  /** A short stable name: `requests`, or the function's hash prefix. */
  readonly id: string;
  readonly counts: readonly number[];
  readonly total: number;
}

export interface Trace {
  /** Which public trace this is, as detected from the file's header. */
  readonly kind: TraceKind;
  readonly source: string;
  readonly minutes: number;
  /** Ordered by total, busiest first, so "the first n series" are the n busiest. */
  readonly series: readonly TraceSeries[];
}

export type TraceKind = 'nasa-http' | 'azure-functions-day' | 'azure-functions-8h';

export function makeSeries(id: string, counts: readonly number[]): TraceSeries {
  return { id, counts, total: counts.reduce((sum, count) => sum + count, 0) };
}

export function makeTrace(kind: TraceKind, source: string, series: TraceSeries[]): Trace {
  const minutes = series[0]?.counts.length ?? 0;
  const uneven = series.find((s) => s.counts.length !== minutes);
  if (uneven)
    throw new Error(`${source}: series ${uneven.id} has ${uneven.counts.length} minutes, not ${minutes}`);
  return { kind, source, minutes, series: [...series].sort((a, b) => b.total - a.total) };
}

/** Requests per minute of the whole trace: every series summed. */
export function totalPerMinute(trace: Trace): number[] {
  return Array.from({ length: trace.minutes }, (_, minute) =>
    trace.series.reduce((sum, series) => sum + (series.counts[minute] ?? 0), 0),
  );
}

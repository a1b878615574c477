import type { Trace } from './trace';

/** One request to send: when (ms after the replay began) and which series it belongs to. */
export interface Arrival {
  readonly atMs: number;
  /** Index into the trace's series (busiest first). */
  readonly series: number;
}

export interface ReplayOptions {
  /** Time compression: one trace minute lasts 60 s / speed. */
  readonly speed: number;
  /** The first trace minute replayed (0-based) and how many follow. */
  readonly startMinute: number;
  readonly minutes: number;
  /** Multiplies every count (0.1 sends a tenth of the trace's requests), kept right on average. */
  readonly scale: number;
  /** Only the busiest n series are replayed (an Azure trace has hundreds of functions). */
  readonly maxSeries: number;
}

export const minuteMs = (speed: number): number => 60_000 / speed;

/** The replay's window, clipped to the trace, and the series it uses. */
export function replayWindow(
  trace: Trace,
  options: ReplayOptions,
): { first: number; end: number; series: number } {
  if (!(options.speed > 0)) throw new Error(`--speed must be positive (got ${options.speed})`);
  if (!(options.scale > 0)) throw new Error(`--scale must be positive (got ${options.scale})`);
  const first = Math.min(Math.max(0, Math.floor(options.startMinute)), trace.minutes);
  const end = Math.min(trace.minutes, first + Math.max(0, Math.floor(options.minutes)));
  return { first, end, series: Math.min(trace.series.length, Math.max(1, options.maxSeries)) };
}

/**
 * The arrivals of one trace minute, in time order. Each series' count (scaled; the fraction is
 * sent with its probability, so the expected total is exact) is spread over the compressed minute
 * by stratified sampling: the minute is cut into `count` equal slots with one arrival at a random
 * point of each, so the per-minute counts of the trace are kept exactly and the arrivals do not
 * come in a lockstep grid.
 */
export function arrivalsOfMinute(
  trace: Trace,
  minute: number,
  options: ReplayOptions,
  random: () => number,
): Arrival[] {
  const { first, series } = replayWindow(trace, options);
  const length = minuteMs(options.speed);
  const offset = (minute - first) * length;
  const arrivals: Arrival[] = [];
  for (let index = 0; index < series; index++) {
    const raw = (trace.series[index]?.counts[minute] ?? 0) * options.scale;
    const count = Math.floor(raw) + (random() < raw - Math.floor(raw) ? 1 : 0);
    for (let slot = 0; slot < count; slot++)
      arrivals.push({ atMs: offset + ((slot + random()) / count) * length, series: index });
  }
  return arrivals.sort((a, b) => a.atMs - b.atMs);
}

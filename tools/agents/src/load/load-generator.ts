import type { EdgeClient } from '@kailash/edge-client';
import { isKailashError } from '@kailash/contracts';
import type { Arrival, ReplayOptions } from '../trace/replay';
import { arrivalsOfMinute, replayWindow } from '../trace/replay';
import type { Trace } from '../trace/trace';
import type { LoadStats } from './load-stats';
import type { PlannedRequest, RequestPlanner } from './request-plan';

export interface LoadClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: LoadClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      signal.addEventListener('abort', wake, { once: true });
    }),
};

export interface LoadGeneratorOptions {
  readonly replay: ReplayOptions;
  /** Arrivals beyond this many requests in flight are not sent and counted as shed. */
  readonly maxInFlight: number;
  /** Called as each trace minute starts. */
  readonly onMinute?: (minute: number, arrivals: number) => void;
}

/**
 * Replays a trace against the fleet in real (compressed) time: each arrival is sent when its
 * moment comes, without waiting for earlier answers, as independent clients would send them.
 */
export class LoadGenerator {
  constructor(
    private readonly client: EdgeClient,
    private readonly planner: RequestPlanner,
    private readonly stats: LoadStats,
    private readonly clock: LoadClock,
    private readonly random: () => number,
  ) {}

  async run(trace: Trace, options: LoadGeneratorOptions, signal: AbortSignal): Promise<void> {
    const { first, end } = replayWindow(trace, options.replay);
    const started = this.clock.now();
    const pending = new Set<Promise<void>>();
    for (let minute = first; minute < end && !signal.aborted; minute++) {
      const arrivals = arrivalsOfMinute(trace, minute, options.replay, this.random);
      options.onMinute?.(minute, arrivals.length);
      for (const arrival of arrivals) {
        const wait = started + arrival.atMs - this.clock.now();
        if (wait > 1) await this.clock.sleep(wait, signal);
        if (signal.aborted) break;
        this.fire(arrival, options.maxInFlight, pending);
      }
    }
    await Promise.all(pending);
  }

  private fire(arrival: Arrival, maxInFlight: number, pending: Set<Promise<void>>): void {
    const request = this.planner.plan(arrival);
    if (!request) return;
    if (this.stats.inFlight >= maxInFlight) {
      this.stats.shed++;
      return;
    }
    const call = this.send(request).finally(() => pending.delete(call));
    pending.add(call);
  }

  private async send(request: PlannedRequest): Promise<void> {
    const began = this.clock.now();
    this.stats.sent(request.operation);
    try {
      const outcome = await this.client.call<{ coldStart?: unknown }>(
        request.target,
        request.operation,
        request.data,
      );
      this.stats.succeeded(request.operation, this.clock.now() - began, outcome.edgeId);
      if (outcome.movedFrom.length > 0) this.stats.moved++;
      if (outcome.result?.coldStart === true) this.stats.coldStarts++;
    } catch (error) {
      const code = isKailashError(error) ? error.code : 'CLIENT_ERROR';
      // A get of a key nobody has written yet is a miss, answered as it should be.
      if (request.operation === 'kv.get' && code === 'NOT_FOUND') this.stats.missed(this.clock.now() - began);
      else this.stats.failed(request.operation, code);
    }
  }
}

import type { JetStreamManager } from '@nats-io/jetstream';
import type { StateProbe } from './fuzz-runner';

const CORRELATION_HEADER = 'Kailash-Correlation-Id';

/**
 * A service's state is its streams: a request changed it if an event stored since the mark carries
 * the request's correlation id. Events of other requests (a process manager reacting, a lease
 * expiring) may land meanwhile without making a refused request look guilty.
 */
export function streamStateProbe(
  jsm: JetStreamManager,
  streams: readonly string[],
): StateProbe<Readonly<Record<string, number>>> {
  const lastSequences = async () =>
    Object.fromEntries(
      await Promise.all(
        streams.map(async (stream) => [stream, (await jsm.streams.info(stream)).state.last_seq] as const),
      ),
    );
  return {
    mark: lastSequences,
    changedBy: async (mark, correlationId) => {
      const now = await lastSequences();
      for (const stream of streams) {
        for (let seq = (mark[stream] ?? 0) + 1; seq <= (now[stream] ?? 0); seq++) {
          const stored = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
          if (stored?.header?.get(CORRELATION_HEADER) === correlationId) return true;
          if (stored && (stored.json() as { correlationId?: unknown }).correlationId === correlationId)
            return true;
        }
      }
      return false;
    },
  };
}

import { EVENT_HEADERS } from '@kailash/contracts';
import type { HybridLogicalClock } from '@kailash/hlc';
import type { JetStreamManager } from '@nats-io/jetstream';

/**
 * The HLC lives in memory. A restarted instance could otherwise stamp below what it (or a peer)
 * already wrote, if it had adopted stamps ahead of its physical clock; merging the stream's newest
 * stamp at boot keeps every new stamp above everything already stored there.
 */
export async function seedClockFromStream(
  jsm: JetStreamManager,
  stream: string,
  clock: HybridLogicalClock,
): Promise<void> {
  const info = await jsm.streams.info(stream);
  if (info.state.messages === 0) return;
  const last = await jsm.streams.getMessage(stream, { seq: info.state.last_seq });
  const stamp = last?.header.get(EVENT_HEADERS.hlc);
  if (!stamp) return;
  try {
    clock.receive(stamp);
  } catch {
    // A stamp beyond the max offset stays out of the clock (the guard counted it); boot goes on.
  }
}

import type { SessionStamp } from './commands';
import { refusal } from './refusals';
import type { Refused } from './refusals';
import type { Response } from './responses';
import type { SessionRecord } from './state';

/**
 * The response cache of a client session (Raft thesis §6.3): what makes a retried proposal apply
 * once. Responses below the session's `floor` are forgotten, either because the client acknowledged
 * them (`ack`) or because the cache was full.
 */

/** A cached response for a retry, or the refusal of a forgotten sequence; undefined: apply it. */
export function answerFromSession(
  session: SessionRecord,
  stamp: SessionStamp,
): Response | Refused | undefined {
  const ack = Math.min(stamp.ack ?? 0, stamp.seq);
  if (ack > session.floor) forgetBelow(session, ack);
  const cached = session.responses.get(stamp.seq);
  if (cached) return cached;
  if (cached === null) return undefined;
  if (stamp.seq < session.floor) {
    return refusal(
      'CONFLICT',
      'stale-sequence',
      `session ${session.clientId}: proposal ${stamp.seq} is older than the oldest remembered (${session.floor})`,
      { clientId: session.clientId, seq: stamp.seq, floor: session.floor },
    );
  }
  return undefined;
}

/** Records an applied proposal's response (a read as `null`: a retry reads afresh). */
export function remember(
  session: SessionRecord,
  stamp: SessionStamp,
  response: Response,
  limit: number,
): void {
  session.responses.set(stamp.seq, response.op === 'range' ? null : response);
  if (session.responses.size <= limit) return;
  // Down to three quarters of the limit, so a client that never acks costs one sort per many entries.
  const seqs = [...session.responses.keys()].sort((a, b) => a - b);
  const keep = Math.max(1, limit - (limit >>> 2));
  forgetBelow(session, seqs[seqs.length - keep] as number);
}

function forgetBelow(session: SessionRecord, floor: number): void {
  for (const seq of [...session.responses.keys()]) if (seq < floor) session.responses.delete(seq);
  session.floor = Math.max(session.floor, floor);
}

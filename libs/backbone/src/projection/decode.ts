import type { EventEnvelope } from '@kailash/contracts';
import { eventEnvelopeSchema, isKailashError, parseWith } from '@kailash/contracts';
import type { JsMsg } from '@nats-io/jetstream';
import type { DeadLetterReason } from './dead-letter';
import type { Projection } from './projection';

export type Decoded =
  | { readonly kind: 'apply'; readonly msg: JsMsg; readonly event: EventEnvelope }
  | { readonly kind: 'ignore'; readonly msg: JsMsg }
  | {
      readonly kind: 'poison';
      readonly msg: JsMsg;
      readonly reason: DeadLetterReason;
      readonly detail: string;
    };

/** Classifies one consumed message: apply it, skip it (not ours), or dead-letter it (poison). */
export function decode(msg: JsMsg, projection: Projection): Decoded {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(msg.data));
  } catch (error) {
    return { kind: 'poison', msg, reason: 'invalid-json', detail: (error as Error).message };
  }
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && projection.handles && !projection.handles.includes(type)) {
    return { kind: 'ignore', msg };
  }
  try {
    parseWith(eventEnvelopeSchema, raw, 'event');
  } catch (error) {
    return toPoison(msg, 'invalid-envelope', error);
  }
  try {
    return { kind: 'apply', msg, event: projection.catalog.parse(raw) };
  } catch (error) {
    return toPoison(msg, 'invalid-data', error);
  }
}

/** Whatever a message makes the parser throw (even a RangeError from absurd nesting), it is poison. */
function toPoison(msg: JsMsg, reason: DeadLetterReason, error: unknown): Decoded {
  const detail = isKailashError(error)
    ? error.message
    : `${(error as Error)?.name ?? 'Error'}: ${String((error as Error)?.message ?? error)}`;
  return { kind: 'poison', msg, reason, detail };
}

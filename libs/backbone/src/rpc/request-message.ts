import type { ErrorBody, Reply, RequestDefinition, RequestEnvelope, SubjectSpace } from '@kailash/contracts';
import { KailashError, parseWith, requestEnvelopeSchema } from '@kailash/contracts';
import type { Msg, MsgHdrs } from '@nats-io/transport-node';
import { headers } from '@nats-io/transport-node';

/**
 * The credential of a NATS request travels in this message header, as `Bearer <api key>`.
 *
 * NATS 2.9 does not tell a subscriber who published a message, so the server cannot learn the
 * caller from the connection. The header lets the same guard check a NATS request and an HTTP one
 * with the same keys and the same principal names. It is not encryption: like the HTTP header it
 * must travel over TLS (or a trusted network), and subject permissions keep other clients from
 * reading requests they do not serve.
 */
export const AUTHORIZATION_HEADER = 'Authorization';

export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

/** `<ns>.<domain>.cmd.<name>` or `.qry.<name>` of a definition. */
export function requestSubject(subjects: SubjectSpace, definition: RequestDefinition): string {
  return definition.kind === 'command'
    ? subjects.command(definition.domain, definition.name)
    : subjects.query(definition.domain, definition.name);
}

/** Parses a request message: size first, then JSON, then the envelope; errors name the field. */
export function decodeRequest(msg: Msg, maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES): RequestEnvelope {
  if (msg.data.length > maxPayloadBytes) {
    throw new KailashError(
      'PAYLOAD_TOO_LARGE',
      `request of ${msg.data.length} bytes exceeds ${maxPayloadBytes}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(msg.string());
  } catch {
    throw new KailashError('VALIDATION_FAILED', 'invalid request: (root): body is not JSON', {
      issues: [{ field: '(root)', message: 'not JSON' }],
    });
  }
  return parseWith(requestEnvelopeSchema, raw, 'request') as RequestEnvelope;
}

/** The bearer credential of a request, if it carries one. */
export function bearerCredential(hdrs: MsgHdrs | undefined): string | undefined {
  const value = hdrs?.get(AUTHORIZATION_HEADER, 'insensitive');
  return value ? /^Bearer (.+)$/.exec(value)?.[1] : undefined;
}

export function credentialHeaders(credential: string): MsgHdrs {
  const hdrs = headers();
  hdrs.set(AUTHORIZATION_HEADER, `Bearer ${credential}`);
  return hdrs;
}

export const okReply = (data: unknown, sequence?: number): Reply =>
  sequence === undefined ? { ok: true, data } : { ok: true, data, sequence };

export const errorReply = (error: ErrorBody): Reply => ({ ok: false, error });

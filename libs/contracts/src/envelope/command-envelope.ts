import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import type { ErrorBody } from '../errors';
import { tokenSchema } from './event-envelope';

const sequenceSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * What travels on `<ns>.<domain>.cmd.<name>` and `.qry.<name>`: the data plus tracing metadata.
 * There is no actor field: who sent a request is the credential it carries (a message header),
 * checked by the server, never a value the caller writes into the body.
 */
export const requestEnvelopeSchema = z.strictObject({
  id: tokenSchema.optional(),
  correlationId: tokenSchema.optional(),
  /** Read-your-writes: answer only once the read model has applied this stream sequence. */
  minSequence: sequenceSchema.optional(),
  data: z.unknown(),
});

/**
 * Actors the services record themselves (lease expiry, a service registering on its own behalf);
 * no API key may carry one of these names, so history never confuses a caller with the system.
 */
export const SYSTEM_ACTORS: readonly string[] = ['lease-expiry', 'system', 'rest-api', 'nats'];
/** Services record themselves under their own name (`state-svc` …): reserved too. */
export const isSystemActor = (name: string): boolean => SYSTEM_ACTORS.includes(name) || /-svc$/.test(name);

export type RequestEnvelope<Data = unknown> = Omit<z.output<typeof requestEnvelopeSchema>, 'data'> & {
  readonly data: Data;
};

/** `sequence`: the stream sequence of the last event the request appended, for a later `minSequence`. */
export type Reply<Data = unknown> =
  | { readonly ok: true; readonly data: Data; readonly sequence?: number }
  | { readonly ok: false; readonly error: ErrorBody };

export const replySchema = z.union([
  z.strictObject({ ok: z.literal(true), data: z.unknown(), sequence: sequenceSchema.optional() }),
  z.strictObject({
    ok: z.literal(false),
    error: z.strictObject({
      code: z.enum(ERROR_CODES as [string, ...string[]]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  }),
]);

/** A command or query: its name (the subject's last tokens) and the schemas of its data and result. */
export interface RequestDefinition<Data extends z.ZodType = z.ZodType, Result extends z.ZodType = z.ZodType> {
  readonly kind: 'command' | 'query';
  readonly domain: string;
  readonly name: string;
  readonly data: Data;
  readonly result: Result;
}

export function defineCommand<Data extends z.ZodType, Result extends z.ZodType>(
  domain: string,
  name: string,
  schemas: { data: Data; result: Result },
): RequestDefinition<Data, Result> {
  return { kind: 'command', domain, name, ...schemas };
}

export function defineQuery<Data extends z.ZodType, Result extends z.ZodType>(
  domain: string,
  name: string,
  schemas: { data: Data; result: Result },
): RequestDefinition<Data, Result> {
  return { kind: 'query', domain, name, ...schemas };
}

/** The validated `data` of a request, as its handler receives it. */
export type RequestData<D extends RequestDefinition> = z.output<D['data']>;

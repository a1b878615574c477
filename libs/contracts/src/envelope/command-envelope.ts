import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import type { ErrorBody } from '../errors';
import { tokenSchema } from './event-envelope';

/** What travels on `<ns>.<domain>.cmd.<name>` and `.qry.<name>`: the data plus tracing metadata. */
export const requestEnvelopeSchema = z.strictObject({
  id: tokenSchema.optional(),
  correlationId: tokenSchema.optional(),
  actor: z.string().min(1).max(128).optional(),
  data: z.unknown(),
});

export type RequestEnvelope<Data = unknown> = Omit<z.output<typeof requestEnvelopeSchema>, 'data'> & {
  readonly data: Data;
};

export type Reply<Data = unknown> = { readonly ok: true; readonly data: Data } | { readonly ok: false; readonly error: ErrorBody };

export const replySchema = z.union([
  z.strictObject({ ok: z.literal(true), data: z.unknown() }),
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

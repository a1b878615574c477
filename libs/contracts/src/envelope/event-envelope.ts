import { parseHlc } from '@kailash/hlc';
import { z } from 'zod';

const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;
const EVENT_TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

export const tokenSchema = z.string().regex(TOKEN, 'must be 1-128 characters of A-Z a-z 0-9 _ -');

export const hlcStringSchema = z.string().refine(
  (value) => {
    try {
      parseHlc(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an encoded HLC timestamp' },
);

/** The envelope every event travels in (docs/architecture.md); `data` is checked by the event's own schema. */
export const eventEnvelopeSchema = z.strictObject({
  id: tokenSchema,
  type: z.string().regex(EVENT_TYPE, 'must be a dotted past-tense name such as edge.registered'),
  v: z.number().int().min(1),
  aggregate: z.strictObject({ type: tokenSchema, id: tokenSchema }),
  hlc: hlcStringSchema,
  source: z.strictObject({ service: tokenSchema, instance: tokenSchema }),
  causationId: tokenSchema.optional(),
  correlationId: tokenSchema.optional(),
  /** The authenticated principal whose request caused the event (absent for the system's own actions). */
  actor: tokenSchema.optional(),
  deps: z.array(tokenSchema).max(64).optional(),
  data: z.unknown(),
});

export type RawEventEnvelope = z.output<typeof eventEnvelopeSchema>;

export interface EventEnvelope<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly v: number;
  readonly aggregate: { readonly type: string; readonly id: string };
  readonly hlc: string;
  readonly source: { readonly service: string; readonly instance: string };
  readonly causationId?: string;
  readonly correlationId?: string;
  readonly actor?: string;
  readonly deps?: readonly string[];
  readonly data: Data;
}

/** Headers every published event carries, so tools can route and order without parsing the body. */
export const EVENT_HEADERS = {
  msgId: 'Nats-Msg-Id',
  type: 'Kailash-Event-Type',
  version: 'Kailash-Event-Version',
  hlc: 'Kailash-Hlc',
  correlationId: 'Kailash-Correlation-Id',
} as const;

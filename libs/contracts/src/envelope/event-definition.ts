import type { z } from 'zod';
import { KailashError } from '../errors';
import { parseWith } from '../validation';
import type { EventEnvelope } from './event-envelope';
import { eventEnvelopeSchema } from './event-envelope';

/** One schema per message: it gives both the TypeScript type and the runtime validator. */
export interface EventDefinition<Type extends string = string, Data extends z.ZodType = z.ZodType> {
  readonly type: Type;
  readonly v: number;
  readonly aggregateType: string;
  readonly data: Data;
}

export function defineEvent<Type extends string, Data extends z.ZodType>(
  type: Type,
  options: { v?: number; aggregateType: string; data: Data },
): EventDefinition<Type, Data> {
  return { type, v: options.v ?? 1, aggregateType: options.aggregateType, data: options.data };
}

export type EventOf<D extends EventDefinition> = EventEnvelope<D['type'], z.output<D['data']>>;
export type DataOf<D extends EventDefinition> = z.output<D['data']>;

/** The events a consumer understands; parsing checks the envelope, then the event's own schema. */
export class EventCatalog<Defs extends EventDefinition = EventDefinition> {
  private readonly byType = new Map<string, Defs>();

  constructor(definitions: readonly Defs[]) {
    for (const definition of definitions) {
      const key = catalogKey(definition.type, definition.v);
      if (this.byType.has(key)) throw new Error(`event ${key} is defined twice`);
      this.byType.set(key, definition);
    }
  }

  has(type: string, v = 1): boolean {
    return this.byType.has(catalogKey(type, v));
  }

  definition(type: string, v = 1): Defs {
    const definition = this.byType.get(catalogKey(type, v));
    if (!definition) {
      throw new KailashError('VALIDATION_FAILED', `invalid event: type: unknown event type ${type} v${v}`, {
        issues: [{ field: 'type', message: `unknown event type ${type} v${v}` }],
      });
    }
    return definition;
  }

  /** Validates an untrusted envelope (e.g. a consumed message) and its data. */
  parse(raw: unknown): EventOf<Defs> {
    const envelope = parseWith(eventEnvelopeSchema, raw, 'event');
    const definition = this.definition(envelope.type, envelope.v);
    if (envelope.aggregate.type !== definition.aggregateType) {
      throw new KailashError(
        'VALIDATION_FAILED',
        `invalid event: aggregate.type: ${envelope.type} belongs to ${definition.aggregateType}`,
        { issues: [{ field: 'aggregate.type', message: `expected ${definition.aggregateType}` }] },
      );
    }
    const data = parseWith(definition.data, envelope.data, `${envelope.type} data`);
    return { ...envelope, data } as EventOf<Defs>;
  }

  /** Validates data before publishing, so an invalid event never reaches the stream. */
  validateData<D extends Defs>(definition: D, data: unknown): z.output<D['data']> {
    return parseWith<D['data']>(definition.data, data, `${definition.type} data`);
  }
}

const catalogKey = (type: string, v: number) => `${type}@${v}`;

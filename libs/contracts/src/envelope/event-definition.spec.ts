import { encodeHlc, HybridLogicalClock } from '@kailash/hlc';
import { z } from 'zod';
import { KailashError } from '../errors';
import { defineEvent, EventCatalog } from './event-definition';

const ThingCreated = defineEvent('thing.created', {
  aggregateType: 'thing',
  data: z.strictObject({ size: z.number().int().positive() }),
});
const catalog = new EventCatalog([ThingCreated]);
const clock = new HybridLogicalClock({ nodeId: 'test', physicalClock: () => 1_700_000_000_000 });

const envelope = (overrides: Record<string, unknown> = {}) => ({
  id: 'evt-1',
  type: 'thing.created',
  v: 1,
  aggregate: { type: 'thing', id: 't-1' },
  hlc: encodeHlc(clock.now()),
  source: { service: 'test', instance: 'i-1' },
  data: { size: 3 },
  ...overrides,
});

describe('EventCatalog', () => {
  it('parses a valid envelope and types its data', () => {
    const event = catalog.parse(envelope());
    expect(event.type).toBe('thing.created');
    expect(event.data.size).toBe(3);
  });

  it.each([
    ['id', { id: 'has.dot' }],
    ['hlc', { hlc: 'not-a-clock' }],
    ['type', { type: 'NotDotted' }],
    ['source.instance', { source: { service: 'test', instance: '' } }],
    ['v', { v: 0 }],
  ])('rejects a bad envelope field %s and names it', (field, overrides) => {
    expect(() => catalog.parse(envelope(overrides))).toThrow(new RegExp(`${field.replace('.', '\\.')}: `));
  });

  it('rejects unknown event types, wrong aggregates and bad data, naming the field', () => {
    expect(() => catalog.parse(envelope({ type: 'thing.deleted' }))).toThrow(/type: unknown event type/);
    expect(() => catalog.parse(envelope({ aggregate: { type: 'other', id: 't-1' } }))).toThrow(
      /aggregate\.type/,
    );
    expect(() => catalog.parse(envelope({ data: { size: -1 } }))).toThrow(/size: /);
    expect(() => catalog.parse(envelope({ data: { size: 1, extra: true } }))).toThrow(/extra: unknown field/);
    expect(() => catalog.parse(envelope({ data: { size: 1 }, sneaky: 1 }))).toThrow(KailashError);
  });

  it('refuses to define the same event twice', () => {
    expect(() => new EventCatalog([ThingCreated, ThingCreated])).toThrow(/defined twice/);
  });
});

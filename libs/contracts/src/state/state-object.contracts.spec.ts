import { KailashError } from '../errors';
import { parseWith } from '../validation';
import { stateEventCatalog } from './catalog';
import {
  IncrementStateValue,
  STATE_OBJECT_LIMITS,
  StateLockAcquired,
  stateObjectKeySchema,
  stateSetBodySchema,
  stateUpdateBodySchema,
  stateLockBodySchema,
} from './state-object.contracts';

const fieldsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof KailashError)
      return (error.details as { issues: { field: string }[] }).issues.map((issue) => issue.field);
    throw error;
  }
  throw new Error('expected a validation failure');
};

describe('state object contracts', () => {
  it('bounds keys: length, characters, and no __proto__', () => {
    expect(stateObjectKeySchema.safeParse('a'.repeat(STATE_OBJECT_LIMITS.maxKeyLength)).success).toBe(true);
    expect(stateObjectKeySchema.safeParse('a'.repeat(STATE_OBJECT_LIMITS.maxKeyLength + 1)).success).toBe(
      false,
    );
    expect(stateObjectKeySchema.safeParse('has/slash').success).toBe(false);
    expect(stateObjectKeySchema.safeParse('__proto__').success).toBe(false);
    expect(stateObjectKeySchema.safeParse('user:42.cart').success).toBe(true);
  });

  it('bounds values by their JSON size and names the field', () => {
    const limit = STATE_OBJECT_LIMITS.maxValueBytes;
    expect(stateSetBodySchema.safeParse({ value: 'x'.repeat(limit - 2) }).success).toBe(true);
    expect(fieldsOf(() => parseWith(stateSetBodySchema, { value: 'x'.repeat(limit) }))).toEqual(['value']);
  });

  it('refuses non-JSON values, unknown fields and empty or oversized updates, naming each', () => {
    expect(fieldsOf(() => parseWith(stateSetBodySchema, { value: 1, colour: 'red' }))).toEqual(['colour']);
    expect(fieldsOf(() => parseWith(stateUpdateBodySchema, { expectedVersion: -1, values: {} }))).toEqual([
      'expectedVersion',
      'values',
    ]);
    const many = Object.fromEntries(
      Array.from({ length: STATE_OBJECT_LIMITS.maxKeys + 1 }, (_, i) => [`k${i}`, i]),
    );
    expect(fieldsOf(() => parseWith(stateUpdateBodySchema, { expectedVersion: 0, values: many }))).toEqual([
      'values',
    ]);
    expect(
      fieldsOf(() => parseWith(stateUpdateBodySchema, { expectedVersion: 0, values: { 'bad/key': 1 } })),
    ).toContain('values.bad/key');
  });

  it('bounds lock TTLs and names the field', () => {
    expect(
      fieldsOf(() =>
        parseWith(stateLockBodySchema, { holder: 'w', ttlMs: STATE_OBJECT_LIMITS.maxLockTtlMs + 1 }),
      ),
    ).toEqual(['ttlMs']);
    expect(fieldsOf(() => parseWith(stateLockBodySchema, { holder: '', ttlMs: 1000 }))).toEqual(['holder']);
  });

  it('defaults an increment step to 1 and refuses 0 or a non-number', () => {
    expect(parseWith(IncrementStateValue.data, { objectId: 'o', key: 'n' })).toEqual({
      objectId: 'o',
      key: 'n',
      by: 1,
    });
    expect(fieldsOf(() => parseWith(IncrementStateValue.data, { objectId: 'o', key: 'n', by: 0 }))).toEqual([
      'by',
    ]);
    expect(fieldsOf(() => parseWith(IncrementStateValue.data, { objectId: 'o', key: 'n', by: '2' }))).toEqual(
      ['by'],
    );
  });

  it('puts every state object event in the state catalog under the stateobj aggregate', () => {
    expect(stateEventCatalog.definition('stateobj.lock-acquired')).toBe(StateLockAcquired);
    expect(StateLockAcquired.aggregateType).toBe('stateobj');
  });
});

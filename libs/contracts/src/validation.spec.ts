import { z } from 'zod';
import { KailashError } from './errors';
import { parseWith } from './validation';

describe('parseWith', () => {
  const schema = z.strictObject({ name: z.string(), location: z.strictObject({ lat: z.number().max(90) }) });

  it('returns the parsed value when valid', () => {
    expect(parseWith(schema, { name: 'a', location: { lat: 1 } })).toEqual({
      name: 'a',
      location: { lat: 1 },
    });
  });

  it('names the offending nested field', () => {
    try {
      parseWith(schema, { name: 'a', location: { lat: 91 } }, 'edge');
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error).toBeInstanceOf(KailashError);
      const kailashError = error as KailashError;
      expect(kailashError.code).toBe('VALIDATION_FAILED');
      expect(kailashError.httpStatus).toBe(400);
      expect(kailashError.message).toMatch(/^invalid edge: location\.lat: /);
      expect(kailashError.details).toEqual({ issues: [expect.objectContaining({ field: 'location.lat' })] });
    }
  });

  it('names unknown fields', () => {
    expect(() => parseWith(schema, { name: 'a', location: { lat: 1 }, colour: 'red' })).toThrow(
      /colour: unknown field/,
    );
  });

  it('names an empty key visibly', () => {
    expect(() => parseWith(schema, { name: 'a', location: { lat: 1 }, '': 1 })).toThrow(
      /invalid input: "": unknown field/,
    );
  });

  it('names the root when the value is not an object', () => {
    expect(() => parseWith(schema, 'nope')).toThrow(/\(root\)/);
  });
});

describe('parseWith on a single value', () => {
  it('names the value by the given root field', () => {
    expect(() => parseWith(z.string().regex(/^[a-z]+$/), 'A.B', 'path', 'edgeId')).toThrow(
      /invalid path: edgeId: /,
    );
  });
});

describe('parseWith refuses what no store can hold', () => {
  const anything = z.unknown();

  it('refuses a NUL character anywhere, naming the field', () => {
    expect(() => parseWith(anything, { reason: 'bad\u0000' })).toThrow(
      /reason: must not contain the NUL character/,
    );
    expect(() => parseWith(anything, { tags: { a: ['ok', 'x\u0000'] } })).toThrow(/tags\.a\.1: /);
    expect(() => parseWith(anything, { ['k\u0000']: 1 })).toThrow(/NUL/);
    expect(() => parseWith(anything, 'a\u0000', 'path', 'edgeId')).toThrow(/edgeId: /);
  });

  it('refuses a lone surrogate in any string, key or nested value, naming the field', () => {
    expect(() => parseWith(anything, { tags: { k: '\ud800' } })).toThrow(
      /invalid input: tags\.k: must be well-formed Unicode/,
    );
    expect(() => parseWith(anything, { a: [{ b: 'x\udfffy' }] })).toThrow(/a\.0\.b: /);
    expect(() => parseWith(anything, { tags: { ['k\udc00']: 'v' } })).toThrow(
      /tags\.k\uFFFD: must be well-formed Unicode/,
    );
    expect(() => parseWith(anything, '\ud83d', 'path', 'edgeId')).toThrow(/edgeId: must be well-formed/);
    try {
      parseWith(anything, { holder: '\ud800' });
      throw new Error('expected a validation error');
    } catch (error) {
      expect((error as KailashError).details).toEqual({
        issues: [{ field: 'holder', message: 'must be well-formed Unicode (no lone surrogate)' }],
      });
    }
  });

  it('accepts well-formed text beyond the BMP', () => {
    expect(parseWith(anything, { name: 'edge \ud83d\ude80 東京' })).toEqual({ name: 'edge 🚀 東京' });
  });

  it('refuses absurd nesting with a 400-style error instead of overflowing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = { a: deep };
    expect(() => parseWith(anything, deep)).toThrow(KailashError);
    expect(() => parseWith(anything, deep)).toThrow(/nested more than 32 levels/);
  });

  it('still accepts ordinary nested values', () => {
    expect(parseWith(anything, { a: { b: [1, 'two', { c: null }] } })).toEqual({
      a: { b: [1, 'two', { c: null }] },
    });
  });
});

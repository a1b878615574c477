import { z } from 'zod';
import { KailashError } from './errors';
import { parseWith } from './validation';

describe('parseWith', () => {
  const schema = z.strictObject({ name: z.string(), location: z.strictObject({ lat: z.number().max(90) }) });

  it('returns the parsed value when valid', () => {
    expect(parseWith(schema, { name: 'a', location: { lat: 1 } })).toEqual({ name: 'a', location: { lat: 1 } });
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

  it('names the root when the value is not an object', () => {
    expect(() => parseWith(schema, 'nope')).toThrow(/\(root\)/);
  });
});

describe('parseWith on a single value', () => {
  it('names the value by the given root field', () => {
    expect(() => parseWith(z.string().regex(/^[a-z]+$/), 'A.B', 'path', 'edgeId')).toThrow(/invalid path: edgeId: /);
  });
});

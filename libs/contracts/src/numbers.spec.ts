import { z } from 'zod';
import { parseWith } from './validation';
import { exactNumber, finiteNumber, isExact, safeInteger } from './numbers';

describe('number schemas a store can compute with', () => {
  const body = (schema: z.ZodType) => z.strictObject({ n: schema });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324, -1e-310])(
    'finiteNumber refuses %p, naming the field',
    (n) => {
      expect(() => parseWith(body(finiteNumber()), { n })).toThrow(/invalid input: n: /);
    },
  );

  it.each([0, -0, 1, -2.5, 2.2250738585072014e-308, 1e308])('finiteNumber accepts %p', (n) => {
    expect(parseWith(body(finiteNumber()), { n })).toEqual({ n });
  });

  it('exactNumber refuses what JSON has already rounded (9007199254740993)', () => {
    const parsed = JSON.parse('{"n":9007199254740993}');
    expect(() => parseWith(body(exactNumber()), parsed)).toThrow(/n: must be between/);
    expect(parseWith(body(exactNumber()), { n: Number.MAX_SAFE_INTEGER })).toEqual({
      n: Number.MAX_SAFE_INTEGER,
    });
    expect(parseWith(body(exactNumber()), { n: 0.25 })).toEqual({ n: 0.25 });
  });

  it('safeInteger refuses unsafe and fractional integers', () => {
    expect(() => parseWith(body(safeInteger()), { n: 2 ** 53 })).toThrow(/n: /);
    expect(() => parseWith(body(safeInteger()), { n: 1.5 })).toThrow(/n: /);
    expect(parseWith(body(safeInteger()), { n: -(2 ** 53 - 1) })).toEqual({ n: -(2 ** 53 - 1) });
  });

  it('isExact tells a result that left the exact range', () => {
    expect(isExact(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(isExact(Number.MAX_SAFE_INTEGER + 1)).toBe(false);
    expect(isExact(Number.NaN)).toBe(false);
  });
});

import { z } from 'zod';

/** Smallest positive normal double; anything closer to 0 (but not 0) is subnormal. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * A finite number PostgreSQL can compute with: not NaN or ±Infinity, and not subnormal (such as
 * 5e-324), which float8 arithmetic refuses as an underflow instead of treating it as 0.
 */
export const finiteNumber = () =>
  z
    .number()
    .refine((value) => Number.isFinite(value), 'must be a finite number')
    .refine(
      (value) => value === 0 || Math.abs(value) >= MIN_NORMAL,
      'is too close to 0 (subnormal); give 0 or a larger magnitude',
    );

/**
 * A number whose every integer step is exact: |value| ≤ 2^53 − 1. Beyond it JSON already rounded
 * what the caller wrote (9007199254740993 arrives as ...992), and adding 1 may change nothing.
 */
export const exactNumber = () =>
  finiteNumber().refine(
    (value) => Math.abs(value) <= Number.MAX_SAFE_INTEGER,
    `must be between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`,
  );

/** An integer JavaScript represents exactly (zod's int() already refuses unsafe ones; this says so). */
export const safeInteger = () =>
  z.number().int(`must be an integer between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`);

/** True when a result (e.g. of an increment) is still exact. */
export const isExact = (value: number): boolean =>
  Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER;

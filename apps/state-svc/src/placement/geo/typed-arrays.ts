export type GrowableArray = Float64Array | Float32Array | Int32Array | Int8Array | Uint8Array;

/** A copy of a typed array with room for exactly `length` entries: new entries are zero, entries past it dropped. */
export function grownTo<T extends GrowableArray>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array.length > length ? array.subarray(0, length) : array);
  return next;
}

/**
 * The length to grow to for `count` entries: an eighth more, not double. Node summaries take ~0.9 KB a
 * node, so doubling them at the first split after a bulk load of 1,000,000 edges would add ~110 MB.
 */
export function roomFor(count: number): number {
  return Math.max(16, count + (count >> 3));
}

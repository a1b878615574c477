export type GrowableArray = Float64Array | Float32Array | Int32Array | Int8Array | Uint8Array;

/** A copy of a typed array with room for `length` entries; the new entries are zero. */
export function grownTo<T extends GrowableArray>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}

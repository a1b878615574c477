import { InsufficientDataError, InvalidInputError } from '../core/errors';

/** A history made safe for the models: interior gaps interpolated, leading/trailing gaps dropped. */
export interface PreparedHistory {
  readonly values: Float64Array;
  readonly notes: string[];
}

/**
 * Models assume a complete, finite series. Gaps (NaN, ±Infinity, null) are bridged linearly so that
 * seasonal positions stay aligned; gaps at the ends are dropped because nothing bounds them.
 */
export function prepareHistory(
  input: ArrayLike<number | null | undefined>,
  minimumLength = 1,
): PreparedHistory {
  const raw = Float64Array.from({ length: input.length }, (_, i) => toNumber(input[i]));
  const first = raw.findIndex(Number.isFinite);
  if (first < 0) throw new InvalidInputError('history has no finite values');
  let last = raw.length - 1;
  while (!Number.isFinite(raw[last] as number)) last--;
  const values = raw.slice(first, last + 1);
  const notes: string[] = [];
  if (first > 0 || last < raw.length - 1)
    notes.push(`dropped ${first + raw.length - 1 - last} non-finite values at the ends`);
  const bridged = bridgeGaps(values);
  if (bridged > 0) notes.push(`interpolated ${bridged} missing values`);
  if (values.length < minimumLength) {
    throw new InsufficientDataError(`need at least ${minimumLength} finite values, got ${values.length}`);
  }
  return { values, notes };
}

function toNumber(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
}

function bridgeGaps(values: Float64Array): number {
  let bridged = 0;
  let lastFinite = 0;
  for (let i = 1; i < values.length; i++) {
    if (!Number.isFinite(values[i] as number)) continue;
    const gap = i - lastFinite - 1;
    for (let k = 1; k <= gap; k++) {
      values[lastFinite + k] =
        (values[lastFinite] as number) +
        (((values[i] as number) - (values[lastFinite] as number)) * k) / (gap + 1);
    }
    bridged += gap;
    lastFinite = i;
  }
  return bridged;
}

/** True when every value equals the first (within floating-point noise relative to its size). */
export function isConstant(values: Float64Array): boolean {
  const first = values[0] as number;
  const tolerance = 1e-12 * Math.max(1, Math.abs(first));
  return values.every((v) => Math.abs(v - first) <= tolerance);
}

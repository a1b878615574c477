/** Inclusive value range used to quantise a series. */
export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

/** How a range is learned from the stream when none is given. */
export interface LearnedRange {
  /** Values whose minimum and maximum fix the range (until then the running range is used). */
  readonly warmup: number;
  /** Share of the warm-up span added on each side, so later excursions still have levels of their own. */
  readonly margin: number;
}

/**
 * Turns a value into one fact per bit of its quantised level: fact 2·bit + (0 | 1). Levels are
 * 0 … 2^bits − 1 over the range; values outside it take the edge level. With a known range (NAB
 * allows a detector to be told each file's minimum and maximum) the levels are fixed from the
 * start. Otherwise the running minimum and maximum are used for the first `warmup` values, then the
 * range is frozen with a margin: re-scaling later would change the meaning of every learned fact.
 */
export function rangeEncoder(bits: number, range: ValueRange | LearnedRange): (value: number) => number[] {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16)
    throw new RangeError(`valueBits must be 1..16, got ${bits}`);
  const known = 'min' in range;
  let min = known ? range.min : Number.POSITIVE_INFINITY;
  let max = known ? range.max : Number.NEGATIVE_INFINITY;
  let seen = 0;
  return (value) => {
    if (!known && seen < range.warmup) {
      min = Math.min(min, value);
      max = Math.max(max, value);
      if (++seen === range.warmup) {
        const pad = (max - min) * range.margin;
        min -= pad;
        max += pad;
      }
    }
    return encodeLevel(bits, { min, max }, value);
  };
}

/**
 * The facts of `value` on 2^bits levels over `range` (fact 2·bit + (0 | 1) per bit), values outside
 * the range taking the edge level. A range without spread uses a step of 1 from its minimum, as
 * NAB's reference does for a constant file.
 */
export function encodeLevel(bits: number, range: ValueRange, value: number): number[] {
  const top = 2 ** bits - 1;
  const span = range.max - range.min;
  const step = span > 0 && Number.isFinite(span) ? span / top : 1;
  const level = Math.min(top, Math.max(0, Math.floor((value - range.min) / step)));
  return Array.from({ length: bits }, (_, bit) => 2 * bit + ((level >> bit) & 1));
}

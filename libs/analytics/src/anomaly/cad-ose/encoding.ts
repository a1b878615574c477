/** Inclusive value range used to quantise a series. */
export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Turns a value into one fact per bit of its quantised level: fact 2·bit + (0 | 1). Levels are
 * 0 … 2^bits − 1 over the range. With a known range (NAB allows a detector to be told each file's
 * minimum and maximum) the levels are fixed; without one, the range is the running minimum and
 * maximum seen so far, so a value beyond every earlier one lands on an edge level and the levels of
 * later values shift — which the context memory then sees as a broken sequence, as it should.
 */
export function rangeEncoder(bits: number, known?: ValueRange): (value: number) => number[] {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new RangeError(`valueBits must be 1..16, got ${bits}`);
  const top = 2 ** bits - 1;
  let min = known?.min ?? Number.POSITIVE_INFINITY;
  let max = known?.max ?? Number.NEGATIVE_INFINITY;
  return (value) => {
    if (!known) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    const span = max - min;
    // A constant series (or a single value so far) has no spread: every value is level 0.
    const step = span > 0 && Number.isFinite(span) ? span / top : 1;
    const level = Math.min(top, Math.max(0, Math.floor((value - min) / step)));
    return Array.from({ length: bits }, (_, bit) => 2 * bit + ((level >> bit) & 1));
  };
}

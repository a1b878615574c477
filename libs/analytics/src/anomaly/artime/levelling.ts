/**
 * ARTime's input stage: every `step` raw values become one, the extreme of the block farther
 * from a fast moving average (so a short spike survives down-sampling) unless it is within 10 %
 * of the block mean; it is then scaled by the told range, quantised to `levels` levels, and
 * snapped to the running median level when within `chomp` of it, which flattens ordinary noise.
 * Memory: the block (`step` values) and a histogram of `levels + 1` counts.
 */
export class DownsampledLevels {
  private readonly block: Float64Array;
  private filled = 0;
  private movingAverage = 0;
  private readonly histogram: Int32Array;
  private seen = 0;
  private median = 0;
  private below = 0;
  private above = 0;

  constructor(
    readonly step: number,
    private readonly min: number,
    private readonly max: number,
    private readonly levels: number,
    private readonly chomp: number,
  ) {
    this.block = new Float64Array(step);
    this.histogram = new Int32Array(levels + 1);
  }

  /** Takes one raw value; returns the levelled value when a block completes, otherwise undefined. */
  push(value: number): number | undefined {
    this.block[this.filled++] = value;
    if (this.filled < this.step) return undefined;
    this.filled = 0;
    return this.level(this.reduceBlock());
  }

  private reduceBlock(): number {
    let sum = 0;
    let hi = Number.NEGATIVE_INFINITY;
    let lo = Number.POSITIVE_INFINITY;
    for (const v of this.block) {
      sum += v;
      hi = Math.max(hi, v);
      lo = Math.min(lo, v);
    }
    const mean = sum / this.step;
    this.movingAverage = this.seen === 0 ? mean : (this.movingAverage + mean) / 2;
    let value = Math.abs(hi - this.movingAverage) < Math.abs(lo - this.movingAverage) ? lo : hi;
    if (Math.abs(value - mean) < 0.1 * mean) value = mean;
    return value;
  }

  private level(value: number): number {
    const span = this.max - this.min;
    const scaled = span !== 0 ? (value - this.min) / span : value - this.min;
    const level = Math.min(this.levels, Math.max(0, roundHalfEven(scaled * this.levels)));
    this.histogram[level] = (this.histogram[level] as number) + 1;
    this.seen++;
    const median = this.medianLevel(level) / this.levels;
    const quantised = level / this.levels;
    return Math.abs(quantised - median) < this.chomp ? median : quantised;
  }

  /**
   * ARTime's running median: a pointer into the histogram, moved one occupied level at a time
   * when more values lie on one side of it than half of those seen. Close to the median, O(levels)
   * at worst per value, and what the reference does.
   */
  private medianLevel(level: number): number {
    const h = this.histogram;
    const half = Math.floor(this.seen / 2);
    if (this.seen === 1) this.median = level;
    if (this.median > level) this.below++;
    else if (this.median < level) this.above++;
    if (half < this.above) {
      this.below += h[this.median] as number;
      this.median++;
      while ((h[this.median] as number) === 0) this.median++;
      this.above -= h[this.median] as number;
    } else if (half < this.below) {
      this.above += h[this.median] as number;
      this.median--;
      while ((h[this.median] as number) === 0) this.median--;
      this.below -= h[this.median] as number;
    }
    return this.median;
  }
}

/** Rounds to the nearest integer, ties to even (the reference's rounding). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

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
    const level = Math.min(this.levels, Math.max(0, Math.round(scaled * this.levels)));
    this.histogram[level] = (this.histogram[level] as number) + 1;
    this.seen++;
    const median = this.medianLevel() / this.levels;
    const quantised = level / this.levels;
    return Math.abs(quantised - median) < this.chomp ? median : quantised;
  }

  /** The level holding the value of rank ⌊seen / 2⌋ (0-based) among all levels seen. */
  private medianLevel(): number {
    const rank = Math.floor(this.seen / 2);
    let below = 0;
    for (let level = 0; level < this.histogram.length; level++) {
      below += this.histogram[level] as number;
      if (below > rank) return level;
    }
    return this.levels;
  }
}

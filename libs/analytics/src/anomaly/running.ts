/** Exponentially weighted mean and variance, O(1) per value. */
export class EwmaStats {
  private m = 0;
  private v = 0;
  private seen = 0;

  constructor(private readonly alpha: number) {}

  get count(): number {
    return this.seen;
  }
  get mean(): number {
    return this.m;
  }
  get std(): number {
    return Math.sqrt(this.v);
  }

  update(x: number): void {
    // Until 1/α values have been seen, use the plain running mean so that early estimates are not biased to 0.
    const weight = Math.max(this.alpha, 1 / (this.seen + 1));
    const delta = x - this.m;
    this.m += weight * delta;
    this.v = (1 - weight) * (this.v + weight * delta * delta);
    this.seen++;
  }
}

/** Fixed-capacity ring buffer; the oldest value is overwritten. */
export class RingBuffer {
  private readonly data: Float64Array;
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.data = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Adds a value and returns the one that fell out, if any. */
  push(x: number): number | undefined {
    if (this.size < this.capacity) {
      this.data[(this.start + this.size++) % this.capacity] = x;
      return undefined;
    }
    const evicted = this.data[this.start] as number;
    this.data[this.start] = x;
    this.start = (this.start + 1) % this.capacity;
    return evicted;
  }

  /** i-th value from the oldest (0) to the newest (length − 1). */
  at(i: number): number {
    return this.data[(this.start + i) % this.capacity] as number;
  }

  toArray(): Float64Array {
    return Float64Array.from({ length: this.size }, (_, i) => this.at(i));
  }
}

/** A sliding window kept sorted, for medians in O(window) per update. */
export class SortedWindow {
  private readonly ring: RingBuffer;
  private readonly sorted: number[] = [];

  constructor(capacity: number) {
    this.ring = new RingBuffer(capacity);
  }

  get length(): number {
    return this.sorted.length;
  }

  push(x: number): void {
    const evicted = this.ring.push(x);
    if (evicted !== undefined) this.sorted.splice(this.lowerBound(evicted), 1);
    this.sorted.splice(this.lowerBound(x), 0, x);
  }

  quantile(q: number): number {
    const position = (this.sorted.length - 1) * q;
    const lower = Math.floor(position);
    const a = this.sorted[lower] as number;
    const b = this.sorted[Math.min(lower + 1, this.sorted.length - 1)] as number;
    return a + (b - a) * (position - lower);
  }

  /**
   * Median absolute deviation from `center` in O(window): deviations grow monotonically walking
   * outwards from `center` in the sorted values, so the two sides merge like sorted lists.
   */
  medianAbsoluteDeviation(center: number): number {
    const n = this.sorted.length;
    if (n === 0) return 0;
    let left = this.lowerBound(center) - 1;
    let right = left + 1;
    const next = () => {
      const dl = left >= 0 ? center - (this.sorted[left] as number) : Number.POSITIVE_INFINITY;
      const dr = right < n ? (this.sorted[right] as number) - center : Number.POSITIVE_INFINITY;
      if (dl <= dr) {
        left--;
        return dl;
      }
      right++;
      return dr;
    };
    const mid = n >> 1;
    let previous = 0;
    for (let k = 0; k < mid; k++) previous = next();
    const current = next();
    return n % 2 ? current : (previous + current) / 2;
  }

  private lowerBound(x: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sorted[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Per data-set bit and node, the cheapest known rate among the placeable edges below holding the bit
 * (float32, rounded down so it stays a lower bound; Infinity: none known). A request naming data sets
 * bounds the edges that hold one of them apart from the rest, which score nothing on data locality: the
 * node's cheapest edge is often not one of the few holders. A row is allocated when a summarised edge
 * first holds the bit (Infinity before was exact: none did).
 */
export class HolderCosts {
  readonly rows: (Float32Array | undefined)[] = [];
  private readonly rowsInUse: number[] = [];
  private capacity = 0;

  grow(length: number): void {
    for (const bit of this.rowsInUse) this.rows[bit] = widened(this.rows[bit] as Float32Array, length);
    this.capacity = length;
  }

  startLeaf(node: number): void {
    for (const bit of this.rowsInUse) (this.rows[bit] as Float32Array)[node] = Infinity;
  }

  /** One placeable slot with a known rate, lowering the rows of the bits it holds. */
  offer(node: number, low: number, high: number, cost: number): void {
    const rate = downward(cost);
    for (let rest = low; rest !== 0; rest &= rest - 1) this.lower(31 - Math.clz32(rest & -rest), node, rate);
    for (let rest = high; rest !== 0; rest &= rest - 1) this.lower(63 - Math.clz32(rest & -rest), node, rate);
  }

  refreshParent(node: number, left: number, right: number): void {
    for (const bit of this.rowsInUse) {
      const row = this.rows[bit] as Float32Array;
      row[node] = Math.min(row[left] as number, row[right] as number);
    }
  }

  /** The cheapest known rate below among edges holding any of `bits`. */
  cheapest(node: number, bits: readonly number[]): number {
    let cheapest = Infinity;
    for (const bit of bits) {
      const row = this.rows[bit];
      if (row && (row[node] as number) < cheapest) cheapest = row[node] as number;
    }
    return cheapest;
  }

  private lower(bit: number, node: number, rate: number): void {
    let row = this.rows[bit];
    if (!row) {
      row = new Float32Array(this.capacity).fill(Infinity);
      this.rows[bit] = row;
      this.rowsInUse.push(bit);
    }
    if (rate < (row[node] as number)) row[node] = rate;
  }
}

function widened(row: Float32Array, length: number): Float32Array {
  const next = new Float32Array(length).fill(Infinity);
  next.set(row);
  return next;
}

/** The largest float32 at most `value` (the relative step of a float32 is at most 2^-23). */
export function downward(value: number): number {
  const rounded = Math.fround(value);
  if (rounded <= value) return rounded;
  return Math.fround(value - Math.abs(value) * 2 ** -22 - Number.MIN_VALUE);
}

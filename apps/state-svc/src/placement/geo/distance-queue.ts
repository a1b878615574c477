/**
 * Binary min-heap of (key, value) pairs on typed arrays: the best-first kd-tree search pushes
 * hundreds of entries per query, and plain objects would make the garbage collector part of p99.
 */
export class DistanceQueue {
  private keys: Float64Array;
  private values: Int32Array;
  private count = 0;

  constructor(initialCapacity = 256) {
    this.keys = new Float64Array(initialCapacity);
    this.values = new Int32Array(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
  }

  push(key: number, value: number): void {
    if (this.count === this.keys.length) this.grow();
    let at = this.count++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const parentKey = this.keys[parent] as number;
      if (parentKey <= key) break;
      this.keys[at] = parentKey;
      this.values[at] = this.values[parent] as number;
      at = parent;
    }
    this.keys[at] = key;
    this.values[at] = value;
  }

  /** Key of the smallest entry; Infinity when empty. */
  peekKey(): number {
    return this.count > 0 ? (this.keys[0] as number) : Infinity;
  }

  /** Removes the smallest entry and returns its value; call only when size > 0. */
  pop(): number {
    const top = this.values[0] as number;
    const last = --this.count;
    const key = this.keys[last] as number;
    const value = this.values[last] as number;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last && (this.keys[right] as number) < (this.keys[child] as number)) child = right;
      if ((this.keys[child] as number) >= key) break;
      this.keys[at] = this.keys[child] as number;
      this.values[at] = this.values[child] as number;
      at = child;
    }
    this.keys[at] = key;
    this.values[at] = value;
    return top;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    const values = new Int32Array(this.values.length * 2);
    keys.set(this.keys);
    values.set(this.values);
    this.keys = keys;
    this.values = values;
  }
}

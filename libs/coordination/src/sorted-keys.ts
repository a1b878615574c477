/**
 * A map from string keys to values that also iterates in key order from any key: a hash map for
 * point reads and writes, plus a sorted array of the keys for ranges. Inserting a new key costs a
 * binary search and an array splice (a memmove); overwriting an existing key costs nothing extra,
 * which is the common case of a coordination store.
 */
export class SortedKeys<V> {
  private readonly values = new Map<string, V>();
  private readonly order: string[] = [];

  get size(): number {
    return this.values.size;
  }

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  set(key: string, value: V): void {
    if (!this.values.has(key)) {
      const at = this.lowerBound(key);
      if (at === this.order.length) this.order.push(key);
      else this.order.splice(at, 0, key);
    }
    this.values.set(key, value);
  }

  delete(key: string): boolean {
    if (!this.values.delete(key)) return false;
    this.order.splice(this.lowerBound(key), 1);
    return true;
  }

  /** Entries with `from <= key` (and `key < to` when given), in key order. */
  *entriesFrom(from: string, to?: string): IterableIterator<[string, V]> {
    for (let at = this.lowerBound(from); at < this.order.length; at++) {
      const key = this.order[at] as string;
      if (to !== undefined && key >= to) return;
      yield [key, this.values.get(key) as V];
    }
  }

  /** The index of the first key `>= key`. */
  private lowerBound(key: string): number {
    let low = 0;
    let high = this.order.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.order[mid] as string) < key) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

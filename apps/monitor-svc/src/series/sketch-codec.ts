import type { DDSketch } from '@datadog/sketches-js';

/**
 * DDSketch's protobuf form (the library's own `DDSketch.proto`), encoded and decoded by hand: the
 * library goes through protobufjs, which costs ~100 µs a row each way and was most of a rollup
 * write. The bytes are the same message, so `DDSketch.fromProto` reads what this writes and this
 * reads what `toProto` writes. Only the occupied bins are written (the library writes its whole
 * dense array, zeros included).
 *
 * DDSketch { 1: IndexMapping mapping; 2: Store positiveValues; 3: Store negativeValues; 4: double zeroCount }
 * IndexMapping { 1: double gamma; 2: double indexOffset; 3: enum interpolation }
 * Store { 1: map<sint32, double> binCounts; 2: repeated double contiguousBinCounts; 3: sint32 contiguousBinIndexOffset }
 */

/** The parts of the library's DenseStore and mapping the codec reads and fills. */
interface Store {
  bins: number[];
  count: number;
  minKey: number;
  maxKey: number;
  offset: number;
  add(key: number, weight?: number): void;
}
interface Parts {
  mapping: { gamma: number; _offset: number; value(key: number): number };
  store: Store;
  negativeStore: Store;
  zeroCount: number;
  count: number;
}
const partsOf = (sketch: DDSketch) => sketch as unknown as Parts;

class Writer {
  private readonly buffer: Buffer;
  private readonly view: DataView;
  at = 0;
  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, size);
  }
  varint(value: number): void {
    let v = value >>> 0;
    while (v > 0x7f) {
      this.buffer[this.at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buffer[this.at++] = v;
  }
  double(value: number): void {
    this.view.setFloat64(this.at, value, true);
    this.at += 8;
  }
  done(): Buffer {
    return this.buffer.subarray(0, this.at);
  }
}

const varintSize = (value: number) => {
  let v = value >>> 0;
  let n = 1;
  while (v > 0x7f) {
    v >>>= 7;
    n++;
  }
  return n;
};
const zigzag = (n: number) => ((n << 1) ^ (n >> 31)) >>> 0;
const unzigzag = (n: number) => (n >>> 1) ^ -(n & 1);

/** The occupied bins of a store as [first key, counts…]; none when empty. */
function occupied(store: Store): { first: number; counts: number[] } {
  if (store.count === 0 || store.minKey > store.maxKey) return { first: 0, counts: [] };
  const from = store.minKey - store.offset;
  return { first: store.minKey, counts: store.bins.slice(from, store.maxKey - store.offset + 1) };
}

function storeSize(bins: { first: number; counts: number[] }): number {
  if (bins.counts.length === 0) return 0;
  const packed = 8 * bins.counts.length;
  return 1 + varintSize(packed) + packed + 1 + varintSize(zigzag(bins.first));
}

function writeStore(
  out: Writer,
  field: number,
  bins: { first: number; counts: number[] },
  size: number,
): void {
  out.varint((field << 3) | 2);
  out.varint(size);
  if (bins.counts.length === 0) return;
  out.varint((2 << 3) | 2);
  out.varint(8 * bins.counts.length);
  for (const count of bins.counts) out.double(count);
  out.varint(3 << 3);
  out.varint(zigzag(bins.first));
}

export function encodeSketch(sketch: DDSketch): Buffer {
  const parts = partsOf(sketch);
  const positive = occupied(parts.store);
  const negative = occupied(parts.negativeStore);
  const [positiveSize, negativeSize] = [storeSize(positive), storeSize(negative)];
  const out = new Writer(
    2 + 18 + 1 + varintSize(positiveSize) + positiveSize + 1 + varintSize(negativeSize) + negativeSize + 9,
  );
  out.varint((1 << 3) | 2);
  out.varint(18);
  out.varint((1 << 3) | 1);
  out.double(parts.mapping.gamma);
  out.varint((2 << 3) | 1);
  out.double(parts.mapping._offset);
  writeStore(out, 2, positive, positiveSize);
  writeStore(out, 3, negative, negativeSize);
  if (parts.zeroCount !== 0) {
    out.varint((4 << 3) | 1);
    out.double(parts.zeroCount);
  }
  return out.done();
}

class Reader {
  at: number;
  private readonly view: DataView;
  constructor(
    private readonly bytes: Uint8Array,
    from = 0,
    readonly end = bytes.length,
  ) {
    this.at = from;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.bytes[this.at++] as number;
      if (shift < 28) result |= (byte & 0x7f) << shift;
      else result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return shift < 28 ? result >>> 0 : result;
      shift += 7;
      if (this.at > this.end) throw new Error('truncated sketch');
    }
  }
  double(): number {
    const value = this.view.getFloat64(this.at, true);
    this.at += 8;
    return value;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.at += 8;
    else if (wire === 2) this.at += this.varint();
    else if (wire === 5) this.at += 4;
    else throw new Error(`unsupported wire type ${wire} in sketch`);
  }
}

export interface DecodedSketch {
  gamma: number;
  indexOffset: number;
  interpolation: number;
  positive: [key: number, count: number][];
  negative: [key: number, count: number][];
  zeroCount: number;
}

function readStore(reader: Reader, end: number, into: [number, number][]): void {
  const contiguous: number[] = [];
  let first = 0;
  while (reader.at < end) {
    const tag = reader.varint();
    const [field, wire] = [tag >>> 3, tag & 7];
    if (field === 1 && wire === 2) {
      const entryEnd = reader.varint() + reader.at;
      let [key, count] = [0, 0];
      while (reader.at < entryEnd) {
        const entryTag = reader.varint();
        if (entryTag === 8) key = unzigzag(reader.varint());
        else if (entryTag === 17) count = reader.double();
        else reader.skip(entryTag & 7);
      }
      into.push([key, count]);
    } else if (field === 2 && wire === 2) {
      const packedEnd = reader.varint() + reader.at;
      while (reader.at < packedEnd) contiguous.push(reader.double());
    } else if (field === 2 && wire === 1) contiguous.push(reader.double());
    else if (field === 3 && wire === 0) first = unzigzag(reader.varint());
    else reader.skip(wire);
  }
  contiguous.forEach((count, i) => count !== 0 && into.push([first + i, count]));
}

export function decodeSketch(bytes: Uint8Array): DecodedSketch {
  const reader = new Reader(bytes);
  const out: DecodedSketch = {
    gamma: NaN,
    indexOffset: 0,
    interpolation: 0,
    positive: [],
    negative: [],
    zeroCount: 0,
  };
  while (reader.at < reader.end) {
    const tag = reader.varint();
    const [field, wire] = [tag >>> 3, tag & 7];
    if (wire === 2 && field >= 1 && field <= 3) {
      const end = reader.varint() + reader.at;
      if (field === 1) {
        while (reader.at < end) {
          const inner = reader.varint();
          if (inner === 9) out.gamma = reader.double();
          else if (inner === 17) out.indexOffset = reader.double();
          else if (inner === 24) out.interpolation = reader.varint();
          else reader.skip(inner & 7);
        }
      } else readStore(reader, end, field === 2 ? out.positive : out.negative);
      reader.at = end;
    } else if (field === 4 && wire === 1) out.zeroCount = reader.double();
    else reader.skip(wire);
  }
  if (reader.at !== reader.end) throw new Error('truncated sketch');
  return out;
}

/**
 * Adds bins (in ascending key order, as decoded) to a store. An empty store gets them as one dense
 * array at once, which keeps the store's invariants (bins cover [offset, offset + length), the
 * keys seen lie in [minKey, maxKey]); adding bin by bin would regrow the array each time.
 */
function fill(store: Store, bins: readonly [number, number][]): void {
  if (bins.length === 0) return;
  if (store.count !== 0) {
    for (const [key, count] of bins) store.add(key, count);
    return;
  }
  const keys = bins.map(([key]) => key);
  const [minKey, maxKey] = [Math.min(...keys), Math.max(...keys)];
  store.bins = new Array<number>(maxKey - minKey + 1).fill(0);
  for (const [key, count] of bins) {
    store.bins[key - minKey] = (store.bins[key - minKey] as number) + count;
    store.count += count;
  }
  store.offset = minKey;
  store.minKey = minKey;
  store.maxKey = maxKey;
}

/** Adds a decoded sketch's bins to `sketch`, whose mapping must be the same (checked by the caller). */
export function addDecoded(sketch: DDSketch, decoded: DecodedSketch): DDSketch {
  const parts = partsOf(sketch);
  fill(parts.store, decoded.positive);
  fill(parts.negativeStore, decoded.negative);
  parts.zeroCount += decoded.zeroCount;
  parts.count = parts.store.count + parts.negativeStore.count + parts.zeroCount;
  return sketch;
}

export function sameMapping(sketch: DDSketch, decoded: DecodedSketch): boolean {
  const { mapping } = partsOf(sketch);
  return (
    decoded.interpolation === 0 && decoded.gamma === mapping.gamma && decoded.indexOffset === mapping._offset
  );
}

/**
 * What DDSketch's getValueAtQuantile answers for the decoded bins, `sketch` giving the mapping
 * (the same one, checked by the caller): the same ranks over the same counts in key order, so the
 * same key and value, with no store built.
 */
export function quantileOfBins(sketch: DDSketch, decoded: DecodedSketch, quantile: number): number {
  const positive = binsInOrder(decoded.positive);
  const negative = binsInOrder(decoded.negative);
  const positiveCount = countOf(positive);
  const negativeCount = countOf(negative);
  const count = positiveCount + negativeCount + decoded.zeroCount;
  if (quantile < 0 || quantile > 1 || count === 0) return Number.NaN;
  const { mapping } = partsOf(sketch);
  const rank = quantile * (count - 1);
  if (rank < negativeCount) return -mapping.value(keyAtRank(negative, negativeCount - rank - 1, false));
  if (rank < decoded.zeroCount + negativeCount) return 0;
  return mapping.value(keyAtRank(positive, rank - decoded.zeroCount - negativeCount, true));
}

/** Bins by ascending key, counts of a key given twice added (as a store adds them). */
function binsInOrder(bins: readonly [number, number][]): [number, number][] {
  const sorted = bins.every((bin, i) => i === 0 || (bins[i - 1] as [number, number])[0] < bin[0]);
  if (sorted) return bins as [number, number][];
  const byKey = new Map<number, number>();
  for (const [key, count] of bins) byKey.set(key, (byKey.get(key) ?? 0) + count);
  return [...byKey].sort((a, b) => a[0] - b[0]);
}

const countOf = (bins: readonly [number, number][]) => bins.reduce((sum, [, count]) => sum + count, 0);

/** DenseStore.keyAtRank over occupied bins only (an empty bin never moves the running count). */
function keyAtRank(bins: readonly [number, number][], rank: number, lower: boolean): number {
  let running = 0;
  for (const [key, count] of bins) {
    running += count;
    if (lower ? running > rank : running >= rank + 1) return key;
  }
  return (bins[bins.length - 1] as [number, number])[0];
}

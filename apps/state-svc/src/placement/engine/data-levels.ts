import type { KeyBitsets } from './key-bitsets';
import { popcount } from './key-bitsets';

/** Levels of "holds at least h requested data sets" counted per request; deeper ones are left to the tree. */
const MAX_LEVELS = 8;

let scratch = new Int32Array(0);
const counts = new Int32Array(MAX_LEVELS);
const slices = new Int32Array(8);

/**
 * The edges that hold the most of a request's data sets, found from the per-key bitsets instead of the
 * tree. For every placeable slot holding the required zones, the number of requested data-set bits it
 * has is summed across the bitsets (bit-sliced: a few word operations per 32 slots and data set), and
 * the slots of each of the top levels ("holds h of them", from all of them down) can then be counted and
 * visited. `bits` are the request's data-set bits (one per requested name that maps to a bit, repeats
 * kept): the count is the same upper bound the node summaries use, exact unless bits are shared.
 * One request at a time: the levels live in a buffer shared by every call.
 */
export class DataLevels {
  readonly top: number;
  /** The lowest level counted: slots below it were not sorted out. */
  readonly lowest: number;
  private readonly words: number;

  constructor(keys: KeyBitsets, slots: number, bits: readonly number[], zoneKeys: readonly number[]) {
    const m = bits.length;
    this.top = m;
    const levels = Math.min(MAX_LEVELS, m);
    this.lowest = m - levels + 1;
    const words = Math.min(keys.words, (slots + 31) >>> 5);
    this.words = words;
    if (scratch.length < levels * words) scratch = new Int32Array(levels * words);
    counts.fill(0);
    if (m === 0) return;
    const sets = bits.map((bit) => keys.dataSets[bit] as Int32Array);
    const zones = zoneKeys.map((zone) => keys.zones[zone] as Int32Array);
    const request: LevelCount = { sets, words, levels, m };
    for (let word = 0; word < words; word += 1) {
      let eligible = keys.placeable[word] as number;
      for (let z = 0; z < zones.length && eligible !== 0; z += 1)
        eligible &= (zones[z] as Int32Array)[word] as number;
      if (m <= 7) countSmall(request, word, eligible);
      else countWide(request, word, eligible);
    }
  }

  /** Eligible slots holding at least `held` requested bits (held from `lowest` to `top`). */
  atLeast(held: number): number {
    return counts[this.top - held] as number;
  }

  /** Visits the eligible slots holding exactly `held` requested bits, in slot order. */
  visitExactly(held: number, visit: (slot: number) => void): void {
    const words = this.words;
    const at = (this.top - held) * words;
    const above = held === this.top ? -1 : at - words;
    for (let word = 0; word < words; word += 1) {
      let rest = scratch[at + word] as number;
      if (above >= 0) rest &= ~(scratch[above + word] as number);
      for (; rest !== 0; rest &= rest - 1) visit(word * 32 + 31 - Math.clz32(rest & -rest));
    }
  }
}

/** What one request counts: the requested data-set bitsets, words per level, levels, requested bits. */
interface LevelCount {
  readonly sets: readonly Int32Array[];
  readonly words: number;
  readonly levels: number;
  readonly m: number;
}

/**
 * One word of slots, at most 7 requested bits: the bit-sliced count in three locals (slice b holds bit
 * b of each slot's count), then each level's "at least h" mask compared from the highest slice down.
 */
function countSmall({ sets, words, levels, m }: LevelCount, word: number, eligible: number): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  if (eligible !== 0)
    for (let i = 0; i < sets.length; i += 1) {
      const x = ((sets[i] as Int32Array)[word] as number) & eligible;
      const c0 = s0 & x;
      s0 ^= x;
      const c1 = s1 & c0;
      s1 ^= c0;
      s2 ^= c1;
    }
  for (let level = 0; level < levels; level += 1) {
    const h = m - level;
    let above = 0;
    let equal = -1;
    if (h & 4) equal &= s2;
    else {
      above |= equal & s2;
      equal &= ~s2;
    }
    if (h & 2) equal &= s1;
    else {
      above |= equal & s1;
      equal &= ~s1;
    }
    if (h & 1) equal &= s0;
    else {
      above |= equal & s0;
      equal &= ~s0;
    }
    const atLeast = above | equal;
    scratch[level * words + word] = atLeast;
    if (atLeast !== 0) counts[level] = (counts[level] as number) + popcount(atLeast);
  }
}

/** The same for up to 64 requested bits, with the slices in an array. */
function countWide({ sets, words, levels, m }: LevelCount, word: number, eligible: number): void {
  const width = 32 - Math.clz32(m);
  slices.fill(0, 0, width);
  for (let i = 0; i < sets.length && eligible !== 0; i += 1) {
    let carry = ((sets[i] as Int32Array)[word] as number) & eligible;
    for (let b = 0; b < width && carry !== 0; b += 1) {
      const next = (slices[b] as number) & carry;
      slices[b] = (slices[b] as number) ^ carry;
      carry = next;
    }
  }
  for (let level = 0; level < levels; level += 1) {
    const atLeast = atLeastMask(width, m - level);
    scratch[level * words + word] = atLeast;
    counts[level] = (counts[level] as number) + popcount(atLeast);
  }
}

/** Slots whose bit-sliced count is at least `threshold`, compared from the highest slice down. */
function atLeastMask(width: number, threshold: number): number {
  let above = 0;
  let equal = -1;
  for (let b = width - 1; b >= 0; b -= 1) {
    const slice = slices[b] as number;
    if ((threshold >>> b) & 1) equal &= slice;
    else {
      above |= equal & slice;
      equal &= ~slice;
    }
  }
  return above | equal;
}

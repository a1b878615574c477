import { COMPLIANCE_ZONES } from '@kailash/contracts';
import { grownTo } from '../geo/typed-arrays';

/** Data-set bits per slot (two 32-bit words), as `FleetColumns` interns them. */
const DATA_BITS = 64;

/**
 * Per-key sets of slots, one bit per slot: the placeable edges, the edges holding each compliance zone
 * and the edges holding each data-set bit. A request led by a factor reads these to find the few edges
 * that have what it needs (AND of a zone's and a data set's words) without walking the tree. A change to
 * an edge flips the bits that differ from its previous facts: O(keys), independent of the fleet's size.
 */
export class KeyBitsets {
  placeable = new Int32Array(0);
  readonly zones: Int32Array[] = COMPLIANCE_ZONES.map(() => new Int32Array(0));
  readonly dataSets: Int32Array[] = Array.from({ length: DATA_BITS }, () => new Int32Array(0));

  /** Words in use: every slot below `slots` has its bit in word `slot >>> 5`. */
  get words(): number {
    return this.placeable.length;
  }

  ensureSlots(slots: number): void {
    const words = (slots + 31) >>> 5;
    if (words <= this.placeable.length) return;
    this.placeable = grownTo(this.placeable, words);
    for (let i = 0; i < this.zones.length; i += 1)
      this.zones[i] = grownTo(this.zones[i] as Int32Array, words);
    for (let i = 0; i < DATA_BITS; i += 1) this.dataSets[i] = grownTo(this.dataSets[i] as Int32Array, words);
  }

  /** Sets a slot's bits to its new facts; `before` is what the slot held until now (all zero for a new slot). */
  write(slot: number, before: SlotKeys, after: SlotKeys): void {
    const word = slot >>> 5;
    const bit = 1 << (slot & 31);
    if (before.placeable !== after.placeable) flip(this.placeable, word, bit, after.placeable);
    flipChanged(this.zones, 0, before.zoneMask, after.zoneMask, word, bit);
    flipChanged(this.dataSets, 0, before.dataSetsLow, after.dataSetsLow, word, bit);
    flipChanged(this.dataSets, 32, before.dataSetsHigh, after.dataSetsHigh, word, bit);
  }
}

/** What a slot contributes to the bitsets. */
export interface SlotKeys {
  readonly placeable: boolean;
  readonly zoneMask: number;
  readonly dataSetsLow: number;
  readonly dataSetsHigh: number;
}

function flipChanged(
  sets: Int32Array[],
  first: number,
  before: number,
  after: number,
  word: number,
  bit: number,
): void {
  for (let changed = before ^ after; changed !== 0; changed &= changed - 1) {
    const key = 31 - Math.clz32(changed & -changed);
    const set = sets[first + key];
    if (set) flip(set, word, bit, (after & (1 << key)) !== 0);
  }
}

function flip(set: Int32Array, word: number, bit: number, on: boolean): void {
  set[word] = on ? (set[word] as number) | bit : (set[word] as number) & ~bit;
}

/** Set bits in a 32-bit word. */
export function popcount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

import { grownTo } from '../geo/typed-arrays';
import type { FleetEdge } from './fleet';
import type { SlotKeys } from './key-bitsets';
import { KeyBitsets } from './key-bitsets';

/** Data-set names map to one of 64 bits (two 32-bit words) per edge and per tree node. */
export const DATA_SET_BITS = 64;

/** Capacity and allocation of one resource type, per slot (0 where the edge declares none). */
export interface ResourceColumn {
  capacity: Float64Array;
  allocated: Float64Array;
}

/**
 * The fleet as struct-of-arrays: one slot per edge, the facts the filters and scores read in typed
 * arrays, so examining an edge reads numbers at an index and allocates nothing. The `FleetEdge` object
 * of each slot is kept for the rare exact checks (data-set names) and for building answers.
 */
export class FleetColumns {
  private slotCount = 0;
  private readonly slots = new Map<string, number>();
  edges: (FleetEdge | undefined)[] = [];
  /** 1 when the edge is placeable (active and not reported unhealthy). */
  placeable = new Uint8Array(0);
  zoneMask = new Int32Array(0);
  /** Hourly rate; NaN when unknown. */
  cost = new Float64Array(0);
  dataSetsLow = new Int32Array(0);
  dataSetsHigh = new Int32Array(0);
  readonly resources = new Map<string, ResourceColumn>();
  /** The same facts by key (placeable, each zone, each data-set bit): which slots have them. */
  readonly keys = new KeyBitsets();
  /**
   * Each data-set name gets the next bit as it is first seen, so a fleet with up to 64 distinct names
   * has exact bits and data locality needs no name lookup; past 64, bits are shared (marked here) and
   * a set bit is confirmed against the edge's names.
   */
  private readonly dataSetBits = new Map<string, number>();
  readonly sharedBit = new Uint8Array(DATA_SET_BITS);
  /** Called when a resource type is seen for the first time, so node summaries can add theirs. */
  onNewResource: (name: string) => void = () => undefined;

  get size(): number {
    return this.slots.size;
  }

  /** Slots claimed so far: every slot number is below this. */
  get slotsInUse(): number {
    return this.slotCount;
  }

  slotOf(edgeId: string): number | undefined {
    return this.slots.get(edgeId);
  }

  /** The slot for an edge id, allocating one for a new edge (edges are never deleted: a deregistered one stays, terminated). */
  claim(edgeId: string): number {
    const known = this.slots.get(edgeId);
    if (known !== undefined) return known;
    const slot = this.slotCount++;
    if (slot >= this.placeable.length) this.grow(Math.max(64, slot + 1, this.placeable.length * 2));
    this.slots.set(edgeId, slot);
    return slot;
  }

  /** Writes an edge's facts into its slot; `placeable` says whether placement may choose it. */
  write(slot: number, edge: FleetEdge, placeable: boolean): void {
    let low = 0;
    let high = 0;
    for (const name of edge.dataSets) {
      const bit = this.internDataSet(name);
      if (bit < 32) low |= 1 << bit;
      else high |= 1 << (bit - 32);
    }
    // A new slot's columns are zero, which is what the bitsets hold for it.
    this.keys.write(slot, this.keysOf(slot), {
      placeable,
      zoneMask: edge.zoneMask,
      dataSetsLow: low,
      dataSetsHigh: high,
    });
    this.edges[slot] = edge;
    this.placeable[slot] = placeable ? 1 : 0;
    this.zoneMask[slot] = edge.zoneMask;
    this.cost[slot] = edge.costPerHour ?? Number.NaN;
    this.dataSetsLow[slot] = low;
    this.dataSetsHigh[slot] = high;
    for (const name of Object.keys(edge.capacity)) this.resource(name);
    for (const name of Object.keys(edge.allocated)) this.resource(name);
    for (const [name, column] of this.resources) {
      column.capacity[slot] = edge.capacity[name] ?? 0;
      column.allocated[slot] = edge.allocated[name] ?? 0;
    }
  }

  private keysOf(slot: number): SlotKeys {
    return {
      placeable: this.placeable[slot] === 1,
      zoneMask: this.zoneMask[slot] as number,
      dataSetsLow: this.dataSetsLow[slot] as number,
      dataSetsHigh: this.dataSetsHigh[slot] as number,
    };
  }

  /** The bit of a data-set name; -1 for a name no edge has ever held (so none holds it now). */
  dataSetBit(name: string): number {
    return this.dataSetBits.get(name) ?? -1;
  }

  private internDataSet(name: string): number {
    let bit = this.dataSetBits.get(name);
    if (bit === undefined) {
      bit = this.dataSetBits.size % DATA_SET_BITS;
      if (this.dataSetBits.size >= DATA_SET_BITS) this.sharedBit[bit] = 1;
      this.dataSetBits.set(name, bit);
    }
    return bit;
  }

  /** Every slot in use, in slot order. */
  forEachSlot(visit: (slot: number, edge: FleetEdge) => void): void {
    for (const slot of this.slots.values()) visit(slot, this.edges[slot] as FleetEdge);
  }

  /** The column of a resource type, created (zero everywhere) on first sight. */
  resource(name: string): ResourceColumn {
    let column = this.resources.get(name);
    if (!column) {
      column = {
        capacity: new Float64Array(this.placeable.length),
        allocated: new Float64Array(this.placeable.length),
      };
      this.resources.set(name, column);
      this.onNewResource(name);
    }
    return column;
  }

  private grow(length: number): void {
    this.keys.ensureSlots(length);
    this.placeable = grownTo(this.placeable, length);
    this.zoneMask = grownTo(this.zoneMask, length);
    this.cost = grownTo(this.cost, length);
    this.dataSetsLow = grownTo(this.dataSetsLow, length);
    this.dataSetsHigh = grownTo(this.dataSetsHigh, length);
    for (const column of this.resources.values()) {
      column.capacity = grownTo(column.capacity, length);
      column.allocated = grownTo(column.allocated, length);
    }
  }
}

import type { ComplianceZone } from '@kailash/contracts';
import { COMPLIANCE_ZONES } from '@kailash/contracts';
import { grownTo } from '../geo/typed-arrays';
import type { FleetColumns } from './fleet-columns';
import { HolderCosts } from './holder-costs';
import { JOINT_REFERENCES } from './joint-ceilings';
import { DEFAULT_RESOURCES } from './scores';

/**
 * The certifications the compliance rules require (health, card and financial data). Each is held by
 * edges scattered over the whole fleet, so a node's summaries mix edges lacking it with edges that have
 * the room or the score; the residency zones follow geography and the tree's boxes already separate
 * them. Kept per zone only for these: each costs 40 bytes per node, and 4 per data set held.
 */
export const ZONED: readonly ComplianceZone[] = ['hipaa', 'sox', 'pci_dss'];
const ZONED_COUNT = ZONED.length;
/** Per compliance-zone index, its position in ZONED, or -1. */
const POSITION = COMPLIANCE_ZONES.map((zone) => ZONED.indexOf(zone));
const ZONED_MASK = ZONED.reduce((mask, zone) => mask | (1 << COMPLIANCE_ZONES.indexOf(zone)), 0);
const RESOURCES = DEFAULT_RESOURCES.length;

/** The kept zones among a request's required ones, by position in ZONED. */
export function zonedPositions(requiredMask: number): number[] {
  const positions: number[] = [];
  for (let rest = requiredMask & ZONED_MASK; rest !== 0; rest &= rest - 1)
    positions.push(POSITION[31 - Math.clz32(rest & -rest)] as number);
  return positions;
}

/**
 * The smallest float32 at least `value`: the arrays are float32 to halve their memory, and a ceiling
 * rounded down could prune an edge that ranks. The relative step of a float32 is at most 2^-23, so
 * nudging up by 2^-22 before rounding to nearest lands at or above the value.
 */
export function upward(value: number): number {
  const rounded = Math.fround(value);
  if (rounded >= value) return rounded;
  return Math.fround(value + Math.abs(value) * 2 ** -22 + Number.MIN_VALUE);
}

/**
 * Per node and kept zone, the same ceilings as the node's own but among the placeable edges below that
 * hold the zone: the most free amount of each default resource (the capacity filter and score) and the
 * joint load + capacity + cost sums per strategy. An edge passing the filters holds every required zone,
 * so it is within each of these for each kept zone it requires. Maintained with the rest of the node's
 * summaries along the changed path.
 */
export class ZonedSummaries {
  /** `(node × ZONED + zone) × DEFAULT_RESOURCES + resource`; 0 where no edge below holds the zone. */
  maxFree = new Float32Array(0);
  /** `(node × ZONED + zone) × JOINT_REFERENCES + strategy`; -Infinity where no edge below holds the zone. */
  joint = new Float32Array(0);
  /**
   * Per kept zone (by position), the cheapest known rate per data-set bit among the edges below holding
   * both the bit and the zone: a request requiring the zone is served only by such edges, and the
   * node's cheapest holders of a set often lack the certification.
   */
  readonly holderCosts: readonly HolderCosts[] = ZONED.map(() => new HolderCosts());

  constructor(private readonly columns: FleetColumns) {}

  grow(length: number): void {
    this.maxFree = grownTo(this.maxFree, length * ZONED_COUNT * RESOURCES);
    this.joint = grownTo(this.joint, length * ZONED_COUNT * JOINT_REFERENCES);
    for (const holders of this.holderCosts) holders.grow(length);
  }

  /** Resets a leaf's entries and takes the most free amounts of its placeable slots. */
  startLeaf(node: number, items: Int32Array, offset: number, count: number): void {
    const base = node * ZONED_COUNT;
    for (const holders of this.holderCosts) holders.startLeaf(node);
    this.maxFree.fill(0, base * RESOURCES, (base + ZONED_COUNT) * RESOURCES);
    this.joint.fill(-Infinity, base * JOINT_REFERENCES, (base + ZONED_COUNT) * JOINT_REFERENCES);
    const columns = this.columns;
    for (let r = 0; r < RESOURCES; r += 1) {
      const column = columns.resources.get(DEFAULT_RESOURCES[r] as string);
      if (!column) continue;
      for (let i = offset; i < offset + count; i += 1) {
        const slot = items[i] as number;
        const zones = (columns.zoneMask[slot] as number) & ZONED_MASK;
        if (zones === 0 || columns.placeable[slot] === 0) continue;
        const capacity = column.capacity[slot] as number;
        if (capacity <= 0) continue;
        const free = upward(capacity - (column.allocated[slot] as number));
        for (let rest = zones; rest !== 0; rest &= rest - 1) {
          const at = (base + (POSITION[31 - Math.clz32(rest & -rest)] as number)) * RESOURCES + r;
          if (free > (this.maxFree[at] as number)) this.maxFree[at] = free;
        }
      }
    }
  }

  /** One placeable slot's joint sums (as the node's own), raised into each kept zone it holds. */
  offerJoint(node: number, zoneMask: number, sums: Float64Array): void {
    for (let rest = zoneMask & ZONED_MASK; rest !== 0; rest &= rest - 1) {
      const at =
        (node * ZONED_COUNT + (POSITION[31 - Math.clz32(rest & -rest)] as number)) * JOINT_REFERENCES;
      for (let r = 0; r < JOINT_REFERENCES; r += 1) {
        const sum = upward(sums[r] as number);
        if (sum > (this.joint[at + r] as number)) this.joint[at + r] = sum;
      }
    }
  }

  /** One placeable slot with a known rate, lowering the holder rates of each kept zone it holds. */
  offerHolder(node: number, zoneMask: number, low: number, high: number, cost: number): void {
    for (let rest = zoneMask & ZONED_MASK; rest !== 0; rest &= rest - 1)
      (this.holderCosts[POSITION[31 - Math.clz32(rest & -rest)] as number] as HolderCosts).offer(
        node,
        low,
        high,
        cost,
      );
  }

  refreshParent(node: number, left: number, right: number): void {
    maxOfChildren(this.maxFree, ZONED_COUNT * RESOURCES, node, left, right);
    maxOfChildren(this.joint, ZONED_COUNT * JOINT_REFERENCES, node, left, right);
    for (const holders of this.holderCosts) holders.refreshParent(node, left, right);
  }

  /** The most free amount of default resource `resource` among edges below holding every kept zone in `positions`. */
  freeWithin(node: number, positions: readonly number[], resource: number, free: number): number {
    for (const zone of positions)
      free = Math.min(free, this.maxFree[(node * ZONED_COUNT + zone) * RESOURCES + resource] as number);
    return free;
  }

  /** The node's joint sum for a strategy, lowered to the kept zones in `positions`. */
  jointWithin(node: number, positions: readonly number[], reference: number, stored: number): number {
    for (const zone of positions)
      stored = Math.min(
        stored,
        this.joint[(node * ZONED_COUNT + zone) * JOINT_REFERENCES + reference] as number,
      );
    return stored;
  }
}

function maxOfChildren(array: Float32Array, width: number, node: number, left: number, right: number): void {
  for (
    let at = node * width, l = left * width, r = right * width, end = at + width;
    at < end;
    at += 1, l += 1, r += 1
  )
    array[at] = Math.max(array[l] as number, array[r] as number);
}

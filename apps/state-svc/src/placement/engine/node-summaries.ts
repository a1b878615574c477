import { COMPLIANCE_ZONES } from '@kailash/contracts';
import { grownTo, roomFor } from '../geo/typed-arrays';
import type { TreeSummaries } from '../geo/dynamic-geo-tree';
import type { FleetColumns } from './fleet-columns';
import type { JointScale } from './joint-ceilings';
import { JOINT_REFERENCES, referenceSums, staticScores } from './joint-ceilings';
import { DEFAULT_RESOURCES } from './scores';
import { ZonedSummaries } from './zoned-summaries';
import { HolderCosts } from './holder-costs';

/** Zones a node keeps a cheapest rate for. */
export const ZONES = COMPLIANCE_ZONES.length;

/** Per resource type: most free, highest free share and largest capacity among placeable edges under each node. */
export interface ResourceSummary {
  maxFree: Float64Array;
  maxFreeShare: Float64Array;
  maxCapacity: Float64Array;
  /** Smallest capacity among placeable edges below (0: some lacks the resource; Infinity: none placeable). */
  minCapacity: Float64Array;
}

/**
 * What the most promising placeable edge under a tree node could offer: the ceilings branch and bound
 * prunes against. Only facts of the edges themselves are kept (cheapest and dearest rate, not a cost
 * score), so nothing here depends on fleet-wide figures and a change refreshes one path, not all nodes.
 * The root's entries are the fleet-wide figures (cost range, roomiest edge per resource).
 */
export class NodeSummaries implements TreeSummaries {
  placeable = new Int32Array(0);
  zoneUnion = new Int32Array(0);
  minCost = new Float64Array(0);
  maxCost = new Float64Array(0);
  /**
   * Per node and zone (`node × ZONES + zone`), the cheapest known rate among placeable edges below that
   * hold the zone: a request that requires zones pays at least the dearest of these, where the node's
   * cheapest edge may lack them (certifications are spread over the whole fleet).
   */
  zoneMinCost = new Float64Array(0);
  /** 1 when some placeable edge below has no known rate (it scores UNKNOWN_SCORE on cost). */
  unknownCost = new Uint8Array(0);
  dataSetsLow = new Int32Array(0);
  dataSetsHigh = new Int32Array(0);
  readonly resources = new Map<string, ResourceSummary>();
  /**
   * Per data-set bit, the data sets held together with it: at `2 × node` and `2 × node + 1`, the union
   * of the data-set words of the placeable edges below that hold the bit. An edge holding several
   * requested sets holds them all in the row of each, so the most any edge below holds is at most the
   * largest row's count — tight where the plain union (any edge may hold every set) is not. Allocated
   * when a summarised edge first holds the bit (zero before was exact: none did).
   */
  readonly coHeld: (Int32Array | undefined)[] = [];
  /**
   * Per node and strategy (`node × JOINT_REFERENCES + strategy`), the most any placeable edge below
   * totals on load, capacity and cost together at the strategy's default weights, need-free and on the
   * scales frozen at build (`jointScale`): one edge's sum, where adding each factor's own maximum would
   * combine the roomiest, idlest and cheapest edges into one that may not exist. -Infinity: none below.
   */
  joint = new Float64Array(0);
  /** Set by the fleet before its first load; undefined leaves the joint ceilings unused. */
  jointScale: JointScale | undefined;
  /** Free room and joint sums per node among the edges holding each certification zone. */
  readonly zoned: ZonedSummaries;
  readonly holderCosts = new HolderCosts();
  private readonly sums = new Float64Array(JOINT_REFERENCES);
  private readonly rowsInUse: number[] = [];
  private capacity = 0;

  constructor(private readonly columns: FleetColumns) {
    this.zoned = new ZonedSummaries(columns);
    for (const name of columns.resources.keys()) this.addResource(name);
    columns.onNewResource = (name) => this.addResource(name);
  }

  ensureNodes(count: number): void {
    if (count <= this.capacity) return;
    const length = roomFor(count);
    this.placeable = grownTo(this.placeable, length);
    this.zoneUnion = grownTo(this.zoneUnion, length);
    this.minCost = grownTo(this.minCost, length);
    this.maxCost = grownTo(this.maxCost, length);
    this.zoneMinCost = grownTo(this.zoneMinCost, length * ZONES);
    this.unknownCost = grownTo(this.unknownCost, length);
    this.dataSetsLow = grownTo(this.dataSetsLow, length);
    this.dataSetsHigh = grownTo(this.dataSetsHigh, length);
    this.joint = grownTo(this.joint, length * JOINT_REFERENCES);
    this.zoned.grow(length);
    this.holderCosts.grow(length);
    for (const bit of this.rowsInUse) this.coHeld[bit] = grownTo(this.coHeld[bit] as Int32Array, 2 * length);
    for (const summary of this.resources.values()) {
      summary.maxFree = grownTo(summary.maxFree, length);
      summary.maxFreeShare = grownTo(summary.maxFreeShare, length);
      summary.maxCapacity = grownTo(summary.maxCapacity, length);
      summary.minCapacity = grownTo(summary.minCapacity, length);
    }
    this.capacity = length;
  }

  refreshLeaf(node: number, items: Int32Array, offset: number, count: number): void {
    const columns = this.columns;
    this.zoneMinCost.fill(Infinity, node * ZONES, node * ZONES + ZONES);
    let placeable = 0;
    let zones = 0;
    let minCost = Infinity;
    let maxCost = -Infinity;
    let unknownCost = 0;
    let low = 0;
    let high = 0;
    for (let i = offset; i < offset + count; i += 1) {
      const slot = items[i] as number;
      if (columns.placeable[slot] === 0) continue;
      placeable += 1;
      zones |= columns.zoneMask[slot] as number;
      const cost = columns.cost[slot] as number;
      if (Number.isNaN(cost)) unknownCost = 1;
      else {
        if (cost < minCost) minCost = cost;
        if (cost > maxCost) maxCost = cost;
        this.lowerZoneCosts(node, columns.zoneMask[slot] as number, cost);
      }
      low |= columns.dataSetsLow[slot] as number;
      high |= columns.dataSetsHigh[slot] as number;
    }
    this.placeable[node] = placeable;
    this.zoneUnion[node] = zones;
    this.minCost[node] = minCost;
    this.maxCost[node] = maxCost;
    this.unknownCost[node] = unknownCost;
    this.dataSetsLow[node] = low;
    this.dataSetsHigh[node] = high;
    for (const [name, summary] of this.resources)
      this.summariseResource(summary, columns.resource(name), node, items, offset, count);
    // The zoned entries first: the co-held pass offers its holders' rates to them.
    this.zoned.startLeaf(node, items, offset, count);
    this.summariseCoHeld(node, items, offset, count);
    this.summariseJoint(node, items, offset, count);
  }

  refreshParent(node: number, left: number, right: number): void {
    this.placeable[node] = (this.placeable[left] as number) + (this.placeable[right] as number);
    this.zoneUnion[node] = (this.zoneUnion[left] as number) | (this.zoneUnion[right] as number);
    this.minCost[node] = Math.min(this.minCost[left] as number, this.minCost[right] as number);
    this.maxCost[node] = Math.max(this.maxCost[left] as number, this.maxCost[right] as number);
    for (let zone = 0; zone < ZONES; zone += 1)
      this.zoneMinCost[node * ZONES + zone] = Math.min(
        this.zoneMinCost[left * ZONES + zone] as number,
        this.zoneMinCost[right * ZONES + zone] as number,
      );
    this.unknownCost[node] = (this.unknownCost[left] as number) | (this.unknownCost[right] as number);
    this.dataSetsLow[node] = (this.dataSetsLow[left] as number) | (this.dataSetsLow[right] as number);
    this.dataSetsHigh[node] = (this.dataSetsHigh[left] as number) | (this.dataSetsHigh[right] as number);
    for (
      let at = node * JOINT_REFERENCES,
        end = at + JOINT_REFERENCES,
        l = left * JOINT_REFERENCES,
        r = right * JOINT_REFERENCES;
      at < end;
      at += 1, l += 1, r += 1
    )
      this.joint[at] = Math.max(this.joint[l] as number, this.joint[r] as number);
    this.zoned.refreshParent(node, left, right);
    this.holderCosts.refreshParent(node, left, right);
    for (const bit of this.rowsInUse) {
      const row = this.coHeld[bit] as Int32Array;
      row[2 * node] = (row[2 * left] as number) | (row[2 * right] as number);
      row[2 * node + 1] = (row[2 * left + 1] as number) | (row[2 * right + 1] as number);
    }
    for (const { maxFree, maxFreeShare, maxCapacity, minCapacity } of this.resources.values()) {
      minCapacity[node] = Math.min(minCapacity[left] as number, minCapacity[right] as number);
      maxFree[node] = Math.max(maxFree[left] as number, maxFree[right] as number);
      maxFreeShare[node] = Math.max(maxFreeShare[left] as number, maxFreeShare[right] as number);
      maxCapacity[node] = Math.max(maxCapacity[left] as number, maxCapacity[right] as number);
    }
  }

  private summariseResource(
    summary: ResourceSummary,
    column: { capacity: Float64Array; allocated: Float64Array },
    node: number,
    items: Int32Array,
    offset: number,
    count: number,
  ): void {
    let maxFree = 0;
    let maxShare = 0;
    let maxCapacity = 0;
    let minCapacity = Infinity;
    for (let i = offset; i < offset + count; i += 1) {
      const slot = items[i] as number;
      if (this.columns.placeable[slot] === 0) continue;
      const capacity = column.capacity[slot] as number;
      if (capacity < minCapacity) minCapacity = capacity;
      if (capacity <= 0) continue;
      const free = capacity - (column.allocated[slot] as number);
      if (free > maxFree) maxFree = free;
      if (free / capacity > maxShare) maxShare = free / capacity;
      if (capacity > maxCapacity) maxCapacity = capacity;
    }
    summary.maxFree[node] = maxFree;
    summary.maxFreeShare[node] = maxShare;
    summary.maxCapacity[node] = maxCapacity;
    summary.minCapacity[node] = minCapacity;
  }

  private lowerZoneCosts(node: number, zones: number, cost: number): void {
    for (let rest = zones; rest !== 0; rest &= rest - 1) {
      const at = node * ZONES + 31 - Math.clz32(rest & -rest);
      if (cost < (this.zoneMinCost[at] as number)) this.zoneMinCost[at] = cost;
    }
  }

  private summariseJoint(node: number, items: Int32Array, offset: number, count: number): void {
    const base = node * JOINT_REFERENCES;
    this.joint.fill(-Infinity, base, base + JOINT_REFERENCES);
    const scale = this.jointScale;
    if (!scale) return;
    const resources = DEFAULT_RESOURCES.map((name) => this.columns.resources.get(name));
    for (let i = offset; i < offset + count; i += 1) {
      const slot = items[i] as number;
      if (this.columns.placeable[slot] === 0) continue;
      referenceSums(staticScores(this.columns, slot, scale, resources), this.sums, 0);
      this.zoned.offerJoint(node, this.columns.zoneMask[slot] as number, this.sums);
      for (let r = 0; r < JOINT_REFERENCES; r += 1)
        if ((this.sums[r] as number) > (this.joint[base + r] as number))
          this.joint[base + r] = this.sums[r] as number;
    }
  }

  private summariseCoHeld(node: number, items: Int32Array, offset: number, count: number): void {
    for (const bit of this.rowsInUse) {
      const row = this.coHeld[bit] as Int32Array;
      row[2 * node] = 0;
      row[2 * node + 1] = 0;
    }
    this.holderCosts.startLeaf(node);
    for (let i = offset; i < offset + count; i += 1) {
      const slot = items[i] as number;
      if (this.columns.placeable[slot] === 0) continue;
      const low = this.columns.dataSetsLow[slot] as number;
      const high = this.columns.dataSetsHigh[slot] as number;
      for (let rest = low; rest !== 0; rest &= rest - 1)
        this.holdTogether(31 - Math.clz32(rest & -rest), node, low, high);
      for (let rest = high; rest !== 0; rest &= rest - 1)
        this.holdTogether(63 - Math.clz32(rest & -rest), node, low, high);
      const cost = this.columns.cost[slot] as number;
      if (Number.isNaN(cost)) continue;
      this.holderCosts.offer(node, low, high, cost);
      this.zoned.offerHolder(node, this.columns.zoneMask[slot] as number, low, high, cost);
    }
  }

  private holdTogether(bit: number, node: number, low: number, high: number): void {
    let row = this.coHeld[bit];
    if (!row) {
      row = new Int32Array(2 * this.capacity);
      this.coHeld[bit] = row;
      this.rowsInUse.push(bit);
    }
    row[2 * node] = (row[2 * node] as number) | low;
    row[2 * node + 1] = (row[2 * node + 1] as number) | high;
  }

  /** A resource seen for the first time: no placeable edge held it before, so zero everywhere is exact. */
  private addResource(name: string): void {
    if (this.resources.has(name)) return;
    this.resources.set(name, {
      maxFree: new Float64Array(this.capacity),
      maxFreeShare: new Float64Array(this.capacity),
      maxCapacity: new Float64Array(this.capacity),
      // Zero: the placeable edges already summarised lack the new resource.
      minCapacity: new Float64Array(this.capacity),
    });
  }
}

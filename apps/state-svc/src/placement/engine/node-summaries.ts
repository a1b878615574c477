import type { GeoIndex, GeoNode } from '../geo/geo-index';
import type { FleetEdge, FleetStats } from './fleet';
import { freeOf } from './fleet';
import { costScore } from './scores';

/** Bits of the data-set filter per node: a data set maps to one of 64 bits, so a collision only loosens the bound. */
const DATA_SET_BITS = 64;

/** FNV-1a: a stable, cheap spread of data-set names over the 64 bits. */
export function dataSetBit(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % DATA_SET_BITS;
}

/** What the most promising edge under a tree node could offer: the ceiling branch and bound prunes against. */
export class NodeSummaries {
  readonly zoneUnion: Int32Array;
  readonly minCost: Float64Array;
  readonly maxCostScore: Float64Array;
  /** Data sets held anywhere under the node, as two 32-bit words of the 64-bit filter. */
  readonly dataSetsLow: Int32Array;
  readonly dataSetsHigh: Int32Array;
  /** Per resource type held by some active edge: most free, highest free share and largest capacity under each node. */
  readonly maxFree = new Map<string, Float64Array>();
  readonly maxFreeShare = new Map<string, Float64Array>();
  readonly maxCapacity = new Map<string, Float64Array>();

  constructor(index: GeoIndex<FleetEdge>, stats: FleetStats) {
    const count = index.nodeCount;
    this.zoneUnion = new Int32Array(count);
    this.minCost = new Float64Array(count).fill(Infinity);
    this.maxCostScore = new Float64Array(count);
    this.dataSetsLow = new Int32Array(count);
    this.dataSetsHigh = new Int32Array(count);
    for (const resource of Object.keys(stats.maxFree)) {
      this.maxFree.set(resource, new Float64Array(count));
      this.maxFreeShare.set(resource, new Float64Array(count));
      this.maxCapacity.set(resource, new Float64Array(count));
    }
    index.forEachNodeBottomUp((node) =>
      node.left < 0 ? this.summariseLeaf(node, index, stats) : this.summariseParent(node),
    );
  }

  private summariseLeaf({ node, start, end }: GeoNode, index: GeoIndex<FleetEdge>, stats: FleetStats): void {
    for (let position = start; position < end; position += 1) {
      const edge = index.itemAt(position);
      this.zoneUnion[node] = (this.zoneUnion[node] as number) | edge.zoneMask;
      this.minCost[node] = Math.min(this.minCost[node] as number, edge.costPerHour ?? Infinity);
      this.maxCostScore[node] = Math.max(this.maxCostScore[node] as number, costScore(edge, stats));
      for (const name of edge.dataSets) {
        const bit = dataSetBit(name);
        const words = bit < 32 ? this.dataSetsLow : this.dataSetsHigh;
        words[node] = (words[node] as number) | (1 << (bit % 32));
      }
      for (const [resource, maxFree] of this.maxFree) {
        const capacity = edge.capacity[resource] ?? 0;
        if (capacity <= 0) continue;
        const free = freeOf(edge, resource);
        maxFree[node] = Math.max(maxFree[node] as number, free);
        const shares = this.maxFreeShare.get(resource) as Float64Array;
        shares[node] = Math.max(shares[node] as number, free / capacity);
        const capacities = this.maxCapacity.get(resource) as Float64Array;
        capacities[node] = Math.max(capacities[node] as number, capacity);
      }
    }
  }

  private summariseParent({ node, left, right }: GeoNode): void {
    this.zoneUnion[node] = (this.zoneUnion[left] as number) | (this.zoneUnion[right] as number);
    this.minCost[node] = Math.min(this.minCost[left] as number, this.minCost[right] as number);
    this.maxCostScore[node] = Math.max(this.maxCostScore[left] as number, this.maxCostScore[right] as number);
    this.dataSetsLow[node] = (this.dataSetsLow[left] as number) | (this.dataSetsLow[right] as number);
    this.dataSetsHigh[node] = (this.dataSetsHigh[left] as number) | (this.dataSetsHigh[right] as number);
    for (const values of [
      ...this.maxFree.values(),
      ...this.maxFreeShare.values(),
      ...this.maxCapacity.values(),
    ]) {
      values[node] = Math.max(values[left] as number, values[right] as number);
    }
  }
}

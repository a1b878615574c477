import { DistanceQueue } from './distance-queue';
import type { LatLon } from './geo';
import { chordToKm, kmToChord, toUnitVector } from './geo';

/** Points per leaf: small enough to prune well, large enough that leaves are scanned linearly. */
const LEAF_SIZE = 16;

export interface GeoHit<T> {
  readonly item: T;
  readonly km: number;
}

/** Called in order of increasing distance; return false to stop the search. */
export type GeoVisitor<T> = (item: T, km: number) => boolean | void;

/**
 * A best-first search by value rather than distance (branch and bound). The caller keeps per-node
 * summaries (see `forEachNodeBottomUp`) to bound what any item below a node could be worth.
 */
export interface BoundedSearch<T> {
  /** Upper bound on `itemValue` of every item under the node, whose nearest point is `minKm` away; -Infinity prunes it. */
  nodeBound(node: number, minKm: number): number;
  /**
   * The exact value of an item; -Infinity drops it. Called for every item of an opened leaf, also those
   * beyond maxKm (nodes wholly beyond it are never opened), so the caller can count why it dropped them.
   */
  itemValue(item: T, km: number): number;
  /** Called with the best remaining bound before each step; return false to stop. */
  proceed(bestRemaining: number): boolean;
  /** Items arrive in decreasing value. */
  accept(item: T, km: number, value: number): void;
}

/**
 * Extra coordinates for the tree to split on, each best scaled to about [0, 1] or [0, 2]: positions
 * span [-1, 1], so a larger range makes the tree split on the extra before position.
 */
export interface SplitAlso<T> {
  readonly dimensions: number;
  values(item: T): readonly number[];
}

/** One node of the tree: its items are positions [start, end) of `itemAt`; a leaf has no children (-1). */
export interface GeoNode {
  readonly node: number;
  readonly start: number;
  readonly end: number;
  readonly left: number;
  readonly right: number;
}

/**
 * A static kd-tree over points on the sphere, stored as 3-D unit vectors: straight-line (chord)
 * distance is monotone in great-circle distance, so Euclidean box bounds prune exactly, with no
 * special cases at the antimeridian or the poles. Written here rather than taken from geokdbush
 * because that package is ESM-only (Jest 30 on Node 20 cannot require it) and its `around()` does
 * not let a caller stop mid-search, which placement needs to end as soon as nothing can outrank
 * its results. Build once, query many times; rebuild when the points change.
 */
export class GeoIndex<T extends LatLon> {
  private items: T[] = [];
  /** x, y, z per point, in tree order. */
  private coords = new Float64Array(0);
  /** Per node: [start, end) range of points, children (-1 for a leaf), bounding box min/max xyz. */
  private nodeRange = new Uint32Array(0);
  private nodeChildren = new Int32Array(0);
  private nodeBox = new Float64Array(0);
  private nodesBuilt = 0;
  /** Values per item while building: x, y, z and any `splitAlso` coordinates. */
  private stride = 3;
  private readonly queue = new DistanceQueue();
  private searching = false;

  static of<T extends LatLon>(points: readonly T[], splitAlso?: SplitAlso<T>): GeoIndex<T> {
    const index = new GeoIndex<T>();
    index.build(points, splitAlso);
    return index;
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * Builds the tree. `splitAlso` adds coordinates the tree may split on besides position, so items alike
   * in them share subtrees and a caller's per-node summaries of them get tight. Distances stay exact either
   * way: node boxes are fitted to the positions of the items actually below them.
   */
  build(points: readonly T[], splitAlso?: SplitAlso<T>): void {
    const order = Array.from(points.keys());
    const extra = splitAlso?.dimensions ?? 0;
    this.stride = 3 + extra;
    const raw = new Float64Array(points.length * this.stride);
    points.forEach((point, i) => {
      raw.set(toUnitVector(point), i * this.stride);
      if (splitAlso) raw.set(splitAlso.values(point).slice(0, extra), i * this.stride + 3);
    });
    const maxNodes = Math.max(1, 2 * Math.ceil(points.length / (LEAF_SIZE / 2)));
    this.nodeRange = new Uint32Array(maxNodes * 2);
    this.nodeChildren = new Int32Array(maxNodes * 2);
    this.nodeBox = new Float64Array(maxNodes * 6);
    this.nodesBuilt = 0;
    if (points.length > 0) this.buildNode(order, raw, 0, points.length);
    this.items = order.map((i) => points[i] as T);
    this.coords = new Float64Array(points.length * 3);
    order.forEach((source, target) =>
      this.coords.set(raw.subarray(source * this.stride, source * this.stride + 3), target * 3),
    );
  }

  /** Up to k points nearest to a location, nearest first, optionally no further than maxKm. */
  nearest(lat: number, lon: number, k: number, maxKm = Infinity): GeoHit<T>[] {
    const hits: GeoHit<T>[] = [];
    if (k <= 0) return hits;
    this.visitByDistance({ lat, lon }, maxKm, (item, km) => {
      hits.push({ item, km });
      return hits.length < k;
    });
    return hits;
  }

  /** Every point within km of a location, nearest first. */
  within(lat: number, lon: number, km: number): GeoHit<T>[] {
    const hits: GeoHit<T>[] = [];
    this.visitByDistance({ lat, lon }, km, (item, distance) => void hits.push({ item, km: distance }));
    return hits;
  }

  get nodeCount(): number {
    return this.nodesBuilt;
  }

  /** The item at a position of the tree order (positions are what `GeoNode` ranges refer to). */
  itemAt(position: number): T {
    return this.items[position] as T;
  }

  /** Every node, children before their parent, so per-node summaries can be folded upwards in one pass. */
  forEachNodeBottomUp(summarise: (node: GeoNode) => void): void {
    for (let node = this.nodesBuilt - 1; node >= 0; node -= 1) {
      summarise({
        node,
        start: this.nodeRange[node * 2] as number,
        end: this.nodeRange[node * 2 + 1] as number,
        left: this.nodeChildren[node * 2] as number,
        right: this.nodeChildren[node * 2 + 1] as number,
      });
    }
  }

  /**
   * Branch and bound: one queue holds nodes keyed by their bound and items by their exact value, highest
   * first, so an item leaves the queue only when nothing still queued can beat it. Nodes wholly beyond
   * maxKm are never opened.
   */
  searchByBound(from: LatLon, maxKm: number, search: BoundedSearch<T>): void {
    if (this.items.length === 0 || maxKm < 0) return;
    this.exclusive(() => {
      const [qx, qy, qz] = toUnitVector(from);
      const limit = maxKm === Infinity ? Infinity : kmToChord(maxKm) ** 2;
      const queue = this.queue;
      const rootDistance = this.boxDistance(0, qx, qy, qz);
      if (rootDistance <= limit) this.queueNode(0, rootDistance, search);
      while (queue.size > 0 && search.proceed(-queue.peekKey())) {
        const value = -queue.peekKey();
        const entry = queue.pop();
        if (entry >= 0) search.accept(this.items[entry] as T, this.kmTo(entry, qx, qy, qz), value);
        else this.expandByBound(-entry - 1, qx, qy, qz, limit, search);
      }
    });
  }

  private queueNode(node: number, squaredChord: number, search: BoundedSearch<T>): void {
    const bound = search.nodeBound(node, chordToKm(Math.sqrt(squaredChord)));
    if (bound > -Infinity) this.queue.push(-bound, -node - 1);
  }

  private expandByBound(
    node: number,
    qx: number,
    qy: number,
    qz: number,
    limit: number,
    search: BoundedSearch<T>,
  ): void {
    // Leaves' items go to itemValue whatever their distance; the caller's filter owns the budget.
    const left = this.nodeChildren[node * 2] as number;
    if (left >= 0) {
      for (const child of [left, this.nodeChildren[node * 2 + 1] as number]) {
        const squared = this.boxDistance(child, qx, qy, qz);
        if (squared <= limit) this.queueNode(child, squared, search);
      }
      return;
    }
    const end = this.nodeRange[node * 2 + 1] as number;
    for (let i = this.nodeRange[node * 2] as number; i < end; i += 1) {
      const value = search.itemValue(
        this.items[i] as T,
        chordToKm(Math.sqrt(this.squaredChordTo(i, qx, qy, qz))),
      );
      if (value > -Infinity) this.queue.push(-value, i);
    }
  }

  private kmTo(position: number, qx: number, qy: number, qz: number): number {
    return chordToKm(Math.sqrt(this.squaredChordTo(position, qx, qy, qz)));
  }

  private squaredChordTo(position: number, qx: number, qy: number, qz: number): number {
    const dx = (this.coords[position * 3] as number) - qx;
    const dy = (this.coords[position * 3 + 1] as number) - qy;
    const dz = (this.coords[position * 3 + 2] as number) - qz;
    return dx * dx + dy * dy + dz * dz;
  }

  /** One search at a time: the queue is shared, and a visitor searching the same index would corrupt it. */
  private exclusive(search: () => void): void {
    if (this.searching)
      throw new Error('GeoIndex searches do not nest: visit() must not search the same index');
    this.searching = true;
    try {
      search();
    } finally {
      this.queue.clear();
      this.searching = false;
    }
  }

  /**
   * Best-first search (Hjaltason & Samet): one queue holds tree nodes keyed by the squared distance
   * to their box and points keyed by their own, so points come out in exact distance order.
   */
  visitByDistance(from: LatLon, maxKm: number, visit: GeoVisitor<T>): void {
    if (this.items.length === 0 || maxKm < 0) return;
    this.exclusive(() => this.search(toUnitVector(from), maxKm, visit));
  }

  private search([qx, qy, qz]: [number, number, number], maxKm: number, visit: GeoVisitor<T>): void {
    const limit = maxKm === Infinity ? Infinity : kmToChord(maxKm) ** 2;
    const queue = this.queue;
    queue.push(this.boxDistance(0, qx, qy, qz), -1);
    while (queue.size > 0) {
      if (queue.peekKey() > limit) return;
      const key = queue.peekKey();
      const entry = queue.pop();
      if (entry >= 0) {
        if (visit(this.items[entry] as T, chordToKm(Math.sqrt(key))) === false) return;
        continue;
      }
      this.expand(-entry - 1, qx, qy, qz, limit);
    }
  }

  /** Queues a node's children, or its points if it is a leaf; entries beyond the limit are never queued. */
  private expand(node: number, qx: number, qy: number, qz: number, limit: number): void {
    const left = this.nodeChildren[node * 2] as number;
    if (left >= 0) {
      const right = this.nodeChildren[node * 2 + 1] as number;
      const toLeft = this.boxDistance(left, qx, qy, qz);
      const toRight = this.boxDistance(right, qx, qy, qz);
      if (toLeft <= limit) this.queue.push(toLeft, -left - 1);
      if (toRight <= limit) this.queue.push(toRight, -right - 1);
      return;
    }
    const end = this.nodeRange[node * 2 + 1] as number;
    for (let i = this.nodeRange[node * 2] as number; i < end; i += 1) {
      const squared = this.squaredChordTo(i, qx, qy, qz);
      if (squared <= limit) this.queue.push(squared, i);
    }
  }

  private boxDistance(node: number, qx: number, qy: number, qz: number): number {
    const box = node * 6;
    return (
      gap(qx, this.nodeBox[box] as number, this.nodeBox[box + 3] as number) ** 2 +
      gap(qy, this.nodeBox[box + 1] as number, this.nodeBox[box + 4] as number) ** 2 +
      gap(qz, this.nodeBox[box + 2] as number, this.nodeBox[box + 5] as number) ** 2
    );
  }

  /** Builds the node for order[start, end) and returns its number; splits at the median of the widest axis. */
  private buildNode(order: number[], raw: Float64Array, start: number, end: number): number {
    const node = this.nodesBuilt++;
    this.nodeRange[node * 2] = start;
    this.nodeRange[node * 2 + 1] = end;
    const axis = this.fitBox(node, order, raw, start, end);
    if (end - start <= LEAF_SIZE) {
      this.nodeChildren[node * 2] = -1;
      this.nodeChildren[node * 2 + 1] = -1;
      return node;
    }
    const middle = (start + end) >> 1;
    selectNth(order, raw, this.stride, axis, start, end - 1, middle);
    this.nodeChildren[node * 2] = this.buildNode(order, raw, start, middle);
    this.nodeChildren[node * 2 + 1] = this.buildNode(order, raw, middle, end);
    return node;
  }

  /** Stores the position box of the node's points and returns the axis (position or extra) of widest spread. */
  private fitBox(
    node: number,
    order: readonly number[],
    raw: Float64Array,
    start: number,
    end: number,
  ): number {
    const box = node * 6;
    let widest = 0;
    let widestSpread = -1;
    for (let axis = 0; axis < this.stride; axis += 1) {
      let low = Infinity;
      let high = -Infinity;
      for (let i = start; i < end; i += 1) {
        const value = raw[(order[i] as number) * this.stride + axis] as number;
        if (value < low) low = value;
        if (value > high) high = value;
      }
      if (axis < 3) {
        this.nodeBox[box + axis] = low;
        this.nodeBox[box + 3 + axis] = high;
      }
      if (high - low > widestSpread) {
        widest = axis;
        widestSpread = high - low;
      }
    }
    return widest;
  }
}

function gap(value: number, low: number, high: number): number {
  return value < low ? low - value : value > high ? value - high : 0;
}

/** Hoare quickselect: afterwards order[nth] holds the point of rank nth on the axis, smaller ones before it. */
function selectNth(
  order: number[],
  raw: Float64Array,
  stride: number,
  axis: number,
  left: number,
  right: number,
  nth: number,
): void {
  const at = (i: number) => raw[(order[i] as number) * stride + axis] as number;
  while (right > left) {
    const pivot = at((left + right) >> 1);
    let i = left;
    let j = right;
    while (i <= j) {
      while (at(i) < pivot) i += 1;
      while (at(j) > pivot) j -= 1;
      if (i <= j) {
        swap(order, i, j);
        i += 1;
        j -= 1;
      }
    }
    if (nth <= j) right = j;
    else if (nth >= i) left = i;
    else return;
  }
}

function swap(order: number[], i: number, j: number): void {
  const held = order[i] as number;
  order[i] = order[j] as number;
  order[j] = held;
}

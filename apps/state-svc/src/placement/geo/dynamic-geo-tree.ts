import { grownTo, roomFor } from './typed-arrays';
import { DistanceQueue } from './distance-queue';
import type { LatLon } from './geo';
import { chordToKm, kmToChord, toUnitVector } from './geo';

/** Slots a leaf can hold; bulk loading fills leaves to half of it, so inserts rarely split. */
const LEAF_CAPACITY = 32;
const BULK_LEAF = LEAF_CAPACITY / 2;
/** Per point: unit vector x, y, z, then the extra coordinates the tree may also split on. */
export const POINT_STRIDE = 6;
export const EXTRA_DIMENSIONS = POINT_STRIDE - 3;

/**
 * Per-node facts kept by the tree's owner (what the best item below a node could offer). The tree says
 * which nodes changed: after an insert or removal only the leaf and its ancestors, one path.
 */
export interface TreeSummaries {
  /** Room for node numbers below `count`; new nodes start empty. */
  ensureNodes(count: number): void;
  /** Summarises a leaf from its slots: `items[offset, offset + count)`. */
  refreshLeaf(node: number, items: Int32Array, offset: number, count: number): void;
  refreshParent(node: number, left: number, right: number): void;
}

/** A best-first search by value (branch and bound); items are slots. */
export interface SlotSearch {
  /** Upper bound on `itemValue` of every slot under the node, whose nearest point is `minKm` away; -Infinity prunes it. */
  nodeBound(node: number, minKm: number): number;
  /** Whether a slot of an opened leaf is worth its distance at all (false drops it before any geometry). */
  admits?(slot: number): boolean;
  /** The exact value of a slot; -Infinity drops it. */
  itemValue(slot: number, km: number): number;
  /** Called with the best remaining bound before each step; return false to stop. */
  proceed(bestRemaining: number): boolean;
  /** Slots arrive in decreasing value. */
  accept(slot: number, km: number): void;
}

/**
 * A kd-tree over points on the sphere (3-D unit vectors: chord distance is monotone in great-circle
 * distance, so box bounds prune exactly, with no special case at the antimeridian or the poles) that
 * changes in place. Inserting walks one path, widening boxes; a full leaf splits in two at the median of
 * its widest axis; removing drops the slot from its leaf. Boxes never shrink on removal, which keeps
 * them valid (only looser), and after each change the owner's summaries are refreshed along that one
 * path — O(depth), never a rebuild. `load` builds the balanced tree in one pass for boot.
 */
export class DynamicGeoTree {
  private points = new Float64Array(0);
  private slotLeaf = new Int32Array(0);
  private nodes = 0;
  private box = new Float64Array(0);
  private left = new Int32Array(0);
  private right = new Int32Array(0);
  private parent = new Int32Array(0);
  private splitAxis = new Int8Array(0);
  private splitValue = new Float64Array(0);
  private leafCount = new Int32Array(0);
  private leafItems = new Int32Array(0);
  private readonly queue = new DistanceQueue();
  private searching = false;

  constructor(private readonly summaries: TreeSummaries) {}

  get nodeCount(): number {
    return this.nodes;
  }

  /** Whether a node is a leaf; its slots are `leafSlotArray[node * LEAF_CAPACITY, leafEnd(node))`. */
  isLeaf(node: number): boolean {
    return (this.left[node] as number) < 0;
  }

  /** A node's children (-1 for a leaf): tests check each node's summaries against them. */
  children(node: number): [number, number] {
    return [this.left[node] as number, this.right[node] as number];
  }

  leafStart(node: number): number {
    return node * LEAF_CAPACITY;
  }

  leafEnd(node: number): number {
    return node * LEAF_CAPACITY + (this.leafCount[node] as number);
  }

  /** The slots of every leaf; read only, and only until the tree next changes. */
  get leafSlotArray(): Int32Array {
    return this.leafItems;
  }

  /** Whether the slot is in the tree. */
  holds(slot: number): boolean {
    return slot < this.slotLeaf.length && (this.slotLeaf[slot] as number) >= 0;
  }

  /** Unit-vector coordinate (axis 0–2) of a slot, as stored. */
  coordinate(slot: number, axis: number): number {
    return this.points[slot * POINT_STRIDE + axis] as number;
  }

  /** Great-circle km from a point (as a unit vector) to a slot, computed exactly as the searches compute it. */
  kmFrom(slot: number, qx: number, qy: number, qz: number): number {
    return chordToKm(Math.sqrt(this.squaredChord(slot, qx, qy, qz)));
  }

  /** Replaces the whole tree with a balanced one over the slots (boot, or a projection rebuilt from scratch). */
  load(slots: readonly number[], pointOf: (slot: number) => readonly number[]): void {
    this.build(slots, pointOf);
    this.refreshAll();
  }

  /**
   * Builds the balanced tree over `count` points (`pointOf(i)`, i from 0) and numbers the slots by it:
   * each leaf's slots consecutive, leaves in node order (depth first, so by place), which keeps what a
   * search reads for one leaf's slots in a few adjacent cache lines of every slot column rather than one
   * line per slot. Returns, per slot, the index of the point it holds. The owner writes each slot's facts
   * and then calls `refreshAll`.
   */
  loadNumbered(count: number, pointOf: (index: number) => readonly number[]): Int32Array {
    this.build(
      Array.from({ length: count }, (_, i) => i),
      pointOf,
    );
    const order = new Int32Array(count);
    let next = 0;
    for (let node = 0; node < this.nodes; node += 1) {
      if ((this.left[node] as number) >= 0) continue;
      for (let i = node * LEAF_CAPACITY; i < this.leafEnd(node); i += 1) {
        order[next] = this.leafItems[i] as number;
        this.leafItems[i] = next;
        next += 1;
      }
    }
    const points = new Float64Array(this.points.length);
    const slotLeaf = new Int32Array(this.slotLeaf.length).fill(-1);
    for (let slot = 0; slot < count; slot += 1) {
      const from = order[slot] as number;
      points.set(this.points.subarray(from * POINT_STRIDE, (from + 1) * POINT_STRIDE), slot * POINT_STRIDE);
      slotLeaf[slot] = this.slotLeaf[from] as number;
    }
    this.points = points;
    this.slotLeaf = slotLeaf;
    return order;
  }

  /** Every node's summaries, leaves first: after a load, once the slots' facts are written. */
  refreshAll(): void {
    this.summaries.ensureNodes(this.nodes);
    for (let node = this.nodes - 1; node >= 0; node -= 1) this.refreshNode(node);
  }

  private build(slots: readonly number[], pointOf: (slot: number) => readonly number[]): void {
    this.nodes = 0;
    this.slotLeaf.fill(-1);
    for (const slot of slots) this.writePoint(slot, pointOf(slot));
    const maxNodes = Math.max(1, 2 * Math.ceil(slots.length / (BULK_LEAF / 2)));
    this.growNodes(maxNodes);
    if (slots.length > 0) this.buildNode(Int32Array.from(slots), 0, slots.length, -1);
    // The bound above is the worst case; keep only some room for splits (halves the node arrays at scale).
    this.resizeNodes(roomFor(this.nodes));
  }

  /** Adds a slot at a point: `[x, y, z, ...extras]`. */
  insert(slot: number, point: readonly number[]): void {
    this.writePoint(slot, point);
    if (this.nodes === 0) this.newNode(-1);
    let node = 0;
    for (;;) {
      this.widen(node, slot);
      if ((this.left[node] as number) < 0) {
        if ((this.leafCount[node] as number) < LEAF_CAPACITY) break;
        this.split(node);
      }
      node = this.childFor(node, slot);
    }
    this.leafItems[node * LEAF_CAPACITY + (this.leafCount[node] as number)] = slot;
    this.leafCount[node] = (this.leafCount[node] as number) + 1;
    this.slotLeaf[slot] = node;
    this.refreshPath(node);
  }

  remove(slot: number): void {
    if (!this.holds(slot)) return;
    const leaf = this.slotLeaf[slot] as number;
    const base = leaf * LEAF_CAPACITY;
    const last = (this.leafCount[leaf] as number) - 1;
    for (let i = 0; i <= last; i += 1) {
      if (this.leafItems[base + i] !== slot) continue;
      this.leafItems[base + i] = this.leafItems[base + last] as number;
      break;
    }
    this.leafCount[leaf] = last;
    this.slotLeaf[slot] = -1;
    this.refreshPath(leaf);
  }

  /** The owner's summaries of one node and its ancestors, after a change to the node's slots or facts. */
  refreshPath(node: number): void {
    this.summaries.ensureNodes(this.nodes);
    for (let at = node; at >= 0; at = this.parent[at] as number) this.refreshNode(at);
  }

  /** The leaf holding a slot (-1 if none), to refresh its path after the slot's facts change. */
  leafOf(slot: number): number {
    return this.holds(slot) ? (this.slotLeaf[slot] as number) : -1;
  }

  /**
   * Branch and bound: one queue holds nodes keyed by their bound and slots by their exact value,
   * highest first, so a slot leaves the queue only when nothing still queued can beat it. Nodes wholly
   * beyond maxKm are never opened; slots of an opened leaf go to itemValue whatever their distance.
   */
  searchByBound(from: LatLon, maxKm: number, search: SlotSearch): void {
    if (this.nodes === 0 || maxKm < 0) return;
    this.exclusive(() => {
      const [qx, qy, qz] = toUnitVector(from);
      const limit = maxKm === Infinity ? Infinity : kmToChord(maxKm) ** 2;
      const queue = this.queue;
      this.queueNode(0, qx, qy, qz, limit, search);
      while (queue.size > 0 && search.proceed(-queue.peekKey())) {
        const entry = queue.pop();
        if (entry >= 0) search.accept(entry, chordToKm(Math.sqrt(this.squaredChord(entry, qx, qy, qz))));
        else this.expandByBound(-entry - 1, qx, qy, qz, limit, search);
      }
    });
  }

  /** Calls `visit` for every slot within km of a point, in no particular order. */
  within(from: LatLon, km: number, visit: (slot: number, km: number) => void): void {
    if (this.nodes === 0 || km < 0) return;
    const [qx, qy, qz] = toUnitVector(from);
    const limit = kmToChord(km) ** 2;
    const stack = [0];
    while (stack.length > 0) {
      const node = stack.pop() as number;
      if (this.boxDistance(node, qx, qy, qz) > limit) continue;
      const left = this.left[node] as number;
      if (left >= 0) {
        stack.push(left, this.right[node] as number);
        continue;
      }
      this.forEachLeafSlot(node, (slot) => {
        const squared = this.squaredChord(slot, qx, qy, qz);
        if (squared <= limit) visit(slot, chordToKm(Math.sqrt(squared)));
      });
    }
  }

  private forEachLeafSlot(node: number, visit: (slot: number) => void): void {
    const base = node * LEAF_CAPACITY;
    const end = base + (this.leafCount[node] as number);
    for (let i = base; i < end; i += 1) visit(this.leafItems[i] as number);
  }

  private queueNode(
    node: number,
    qx: number,
    qy: number,
    qz: number,
    limit: number,
    search: SlotSearch,
  ): void {
    const squared = this.boxDistance(node, qx, qy, qz);
    if (squared > limit) return;
    const bound = search.nodeBound(node, chordToKm(Math.sqrt(squared)));
    if (bound > -Infinity) this.queue.push(-bound, -node - 1);
  }

  private expandByBound(
    node: number,
    qx: number,
    qy: number,
    qz: number,
    limit: number,
    search: SlotSearch,
  ): void {
    const left = this.left[node] as number;
    if (left >= 0) {
      this.queueNode(left, qx, qy, qz, limit, search);
      this.queueNode(this.right[node] as number, qx, qy, qz, limit, search);
      return;
    }
    const base = node * LEAF_CAPACITY;
    const end = base + (this.leafCount[node] as number);
    for (let i = base; i < end; i += 1) {
      const slot = this.leafItems[i] as number;
      if (search.admits && !search.admits(slot)) continue;
      const value = search.itemValue(slot, chordToKm(Math.sqrt(this.squaredChord(slot, qx, qy, qz))));
      if (value > -Infinity) this.queue.push(-value, slot);
    }
  }

  /** One search at a time: the queue is shared, and a visitor searching the same tree would corrupt it. */
  private exclusive(search: () => void): void {
    if (this.searching) throw new Error('DynamicGeoTree searches do not nest');
    this.searching = true;
    try {
      search();
    } finally {
      this.queue.clear();
      this.searching = false;
    }
  }

  private refreshNode(node: number): void {
    const left = this.left[node] as number;
    if (left >= 0) this.summaries.refreshParent(node, left, this.right[node] as number);
    else
      this.summaries.refreshLeaf(node, this.leafItems, node * LEAF_CAPACITY, this.leafCount[node] as number);
  }

  private childFor(node: number, slot: number): number {
    const value = this.points[slot * POINT_STRIDE + (this.splitAxis[node] as number)] as number;
    return value < (this.splitValue[node] as number)
      ? (this.left[node] as number)
      : (this.right[node] as number);
  }

  /** Turns a full leaf into a parent of two half-full leaves, split at the median of its widest axis. */
  private split(leaf: number): void {
    const base = leaf * LEAF_CAPACITY;
    const count = this.leafCount[leaf] as number;
    const slots = this.leafItems.slice(base, base + count);
    const axis = this.widestAxis(slots, 0, count);
    const at = (slot: number) => this.points[slot * POINT_STRIDE + axis] as number;
    slots.sort((a, b) => at(a) - at(b));
    const middle = count >> 1;
    const left = this.newNode(leaf);
    const right = this.newNode(leaf);
    this.fill(left, slots.subarray(0, middle));
    this.fill(right, slots.subarray(middle));
    this.left[leaf] = left;
    this.right[leaf] = right;
    this.splitAxis[leaf] = axis;
    this.splitValue[leaf] = at(slots[middle] as number);
    this.leafCount[leaf] = 0;
    this.summaries.ensureNodes(this.nodes);
    this.refreshNode(left);
    this.refreshNode(right);
  }

  private fill(leaf: number, slots: Int32Array): void {
    this.leafItems.set(slots, leaf * LEAF_CAPACITY);
    this.leafCount[leaf] = slots.length;
    this.fitBox(leaf, slots, 0, slots.length);
    for (const slot of slots) this.slotLeaf[slot] = leaf;
  }

  private buildNode(order: Int32Array, start: number, end: number, parent: number): number {
    const node = this.newNode(parent);
    this.fitBox(node, order, start, end);
    if (end - start <= BULK_LEAF) {
      this.fill(node, order.subarray(start, end));
      return node;
    }
    const axis = this.widestAxis(order, start, end);
    const middle = (start + end) >> 1;
    selectNth(order, this.points, axis, start, end - 1, middle);
    this.splitAxis[node] = axis;
    this.splitValue[node] = this.points[(order[middle] as number) * POINT_STRIDE + axis] as number;
    this.left[node] = this.buildNode(order, start, middle, node);
    this.right[node] = this.buildNode(order, middle, end, node);
    return node;
  }

  private newNode(parent: number): number {
    if (this.nodes === this.parent.length) this.growNodes(roomFor(this.nodes + 1));
    const node = this.nodes++;
    this.parent[node] = parent;
    this.left[node] = -1;
    this.right[node] = -1;
    this.leafCount[node] = 0;
    this.box.fill(Infinity, node * 6, node * 6 + 3);
    this.box.fill(-Infinity, node * 6 + 3, node * 6 + 6);
    return node;
  }

  private widestAxis(slots: Int32Array, start: number, end: number): number {
    let widest = 0;
    let widestSpread = -1;
    for (let axis = 0; axis < POINT_STRIDE; axis += 1) {
      let low = Infinity;
      let high = -Infinity;
      for (let i = start; i < end; i += 1) {
        const value = this.points[(slots[i] as number) * POINT_STRIDE + axis] as number;
        if (value < low) low = value;
        if (value > high) high = value;
      }
      if (high - low > widestSpread) {
        widest = axis;
        widestSpread = high - low;
      }
    }
    return widest;
  }

  private fitBox(node: number, slots: Int32Array, start: number, end: number): void {
    this.box.fill(Infinity, node * 6, node * 6 + 3);
    this.box.fill(-Infinity, node * 6 + 3, node * 6 + 6);
    for (let i = start; i < end; i += 1) this.widen(node, slots[i] as number);
  }

  private widen(node: number, slot: number): void {
    const box = node * 6;
    for (let axis = 0; axis < 3; axis += 1) {
      const value = this.points[slot * POINT_STRIDE + axis] as number;
      if (value < (this.box[box + axis] as number)) this.box[box + axis] = value;
      if (value > (this.box[box + 3 + axis] as number)) this.box[box + 3 + axis] = value;
    }
  }

  private boxDistance(node: number, qx: number, qy: number, qz: number): number {
    const box = node * 6;
    return (
      gap(qx, this.box[box] as number, this.box[box + 3] as number) ** 2 +
      gap(qy, this.box[box + 1] as number, this.box[box + 4] as number) ** 2 +
      gap(qz, this.box[box + 2] as number, this.box[box + 5] as number) ** 2
    );
  }

  private squaredChord(slot: number, qx: number, qy: number, qz: number): number {
    const at = slot * POINT_STRIDE;
    const dx = (this.points[at] as number) - qx;
    const dy = (this.points[at + 1] as number) - qy;
    const dz = (this.points[at + 2] as number) - qz;
    return dx * dx + dy * dy + dz * dz;
  }

  private writePoint(slot: number, point: readonly number[]): void {
    if (slot >= this.slotLeaf.length) this.growSlots(Math.max(slot + 1, this.slotLeaf.length * 2, 64));
    for (let axis = 0; axis < POINT_STRIDE; axis += 1)
      this.points[slot * POINT_STRIDE + axis] = point[axis] ?? 0;
  }

  private growSlots(count: number): void {
    this.points = grownTo(this.points, count * POINT_STRIDE);
    const slotLeaf = new Int32Array(count).fill(-1);
    slotLeaf.set(this.slotLeaf);
    this.slotLeaf = slotLeaf;
  }

  private growNodes(count: number): void {
    if (count > this.parent.length) this.resizeNodes(count);
  }

  private resizeNodes(count: number): void {
    this.box = grownTo(this.box, count * 6);
    this.left = grownTo(this.left, count);
    this.right = grownTo(this.right, count);
    this.parent = grownTo(this.parent, count);
    this.splitAxis = grownTo(this.splitAxis, count);
    this.splitValue = grownTo(this.splitValue, count);
    this.leafCount = grownTo(this.leafCount, count);
    this.leafItems = grownTo(this.leafItems, count * LEAF_CAPACITY);
  }
}

function gap(value: number, low: number, high: number): number {
  return value < low ? low - value : value > high ? value - high : 0;
}

/** Hoare quickselect on one axis: afterwards order[nth] holds the point of rank nth, smaller ones before it. */
function selectNth(
  order: Int32Array,
  points: Float64Array,
  axis: number,
  left: number,
  right: number,
  nth: number,
): void {
  const at = (i: number) => points[(order[i] as number) * POINT_STRIDE + axis] as number;
  while (right > left) {
    const pivot = at((left + right) >> 1);
    let i = left;
    let j = right;
    while (i <= j) {
      while (at(i) < pivot) i += 1;
      while (at(j) > pivot) j -= 1;
      if (i <= j) {
        const held = order[i] as number;
        order[i] = order[j] as number;
        order[j] = held;
        i += 1;
        j -= 1;
      }
    }
    if (nth <= j) right = j;
    else if (nth >= i) left = i;
    else return;
  }
}

/** The stored point of a location with extra split coordinates. */
export function treePoint(location: LatLon, extras: readonly number[]): number[] {
  return [...toUnitVector(location), ...extras.slice(0, EXTRA_DIMENSIONS)];
}

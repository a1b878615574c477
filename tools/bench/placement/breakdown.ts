/**
 * Where the fleet view's bytes go at one size (`BREAKDOWN_EDGES`, default 1,000,000): every typed array
 * the view holds, grouped by owner, and the heap the edge objects and the id → slot map take, measured
 * by dropping them one part at a time from a built view (live heap after a full GC, as the benchmark's
 * "view" figure). Run through tools/bench/run.sh; it destroys the view it measures.
 */
import { buildFleet } from '../../../apps/state-svc/src/placement/engine/fleet';
import { syntheticFleet } from '../../../apps/state-svc/test/placement/synthetic-fleet';
import { int, liveBytes } from './measure';

const size = Number(process.env['BREAKDOWN_EDGES'] ?? 1_000_000);
const MIB = 2 ** 20;

type Bag = Record<string, unknown>;

/** Typed arrays reachable from `value` (own fields, arrays, maps), named by their path. */
function typedArrays(value: unknown, path: string, out: Map<string, number>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    out.set(path, (out.get(path) ?? 0) + value.byteLength);
    return;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) typedArrays(item, `${path}.${String(key)}`, out, seen);
    return;
  }
  if (Array.isArray(value)) {
    // Arrays of typed arrays (rows per key) are summed under one name; arrays of edges are skipped.
    for (const item of value.slice(0, 128))
      if (ArrayBuffer.isView(item)) typedArrays(item, `${path}[]`, out, seen);
    return;
  }
  for (const [key, item] of Object.entries(value as Bag)) typedArrays(item, `${path}.${key}`, out, seen);
}

function main(): void {
  const before = liveBytes();
  const fleet = buildFleet(syntheticFleet(size, 1));
  const total = liveBytes() - before;
  console.log(`${int(size)} edges: view ${(total / MIB).toFixed(1)} MiB (${(total / 1e9).toFixed(3)} GB)`);
  const arrays = new Map<string, number>();
  typedArrays(fleet.columns, 'columns', arrays, new Set());
  typedArrays(fleet.summaries, 'summaries', arrays, new Set([fleet.columns]));
  typedArrays(fleet.tree, 'tree', arrays, new Set([fleet.summaries]));
  let arrayTotal = 0;
  for (const [name, bytes] of [...arrays].sort((a, b) => b[1] - a[1])) {
    arrayTotal += bytes;
    if (bytes >= MIB / 10) console.log(`  ${name.padEnd(40)} ${(bytes / MIB).toFixed(1)} MiB`);
  }
  console.log(`typed arrays in all: ${(arrayTotal / MIB).toFixed(1)} MiB`);
  const edges = fleet.columns.edges as unknown as Bag[];
  const steps: [string, (edge: Bag) => void][] = [
    ['data-set name lists', (edge) => (edge['dataSets'] = undefined)],
    ['zones arrays', (edge) => (edge['zones'] = undefined)],
    ['capacity records', (edge) => (edge['capacity'] = undefined)],
    ['allocated records', (edge) => (edge['allocated'] = undefined)],
    ['region strings', (edge) => (edge['region'] = undefined)],
    ['name strings', (edge) => (edge['name'] = undefined)],
  ];
  let last = liveBytes();
  for (const [name, drop] of steps) {
    for (const edge of edges) if (edge) drop(edge);
    const now = liveBytes();
    console.log(`  ${name.padEnd(40)} ${((last - now) / MIB).toFixed(1)} MiB`);
    last = now;
  }
  fleet.columns.edges = [];
  let now = liveBytes();
  console.log(
    `  ${'edge objects (rest: fields, numbers)'.padEnd(40)} ${((last - now) / MIB).toFixed(1)} MiB`,
  );
  last = now;
  (fleet.columns as unknown as Bag)['slots'] = undefined;
  now = liveBytes();
  console.log(`  ${'id → slot map with the id strings'.padEnd(40)} ${((last - now) / MIB).toFixed(1)} MiB`);
  console.log(`left (typed arrays and small objects): ${((now - before) / MIB).toFixed(1)} MiB`);
}

main();

import type { ComplianceZone } from '@kailash/contracts';

/**
 * Past this many distinct values a table starts over: sharing only saves memory, and a fresh copy is
 * as correct, so a fleet with unbounded distinct values (allocations change with load) cannot grow a
 * table without end (at most ~1 MB each). Regions, zone lists and capacities repeat far fewer.
 */
export const MOST_KEPT = 4_096;

/**
 * One frozen copy of each distinct value many edges repeat (regions, zone lists, capacity and
 * allocation records, data-set names). Every row of the projection brings its own copies, and at a
 * million edges those copies were ~280 MiB of the view; edges reading one shared copy answer the same.
 */
class SharedValues<T> {
  private readonly known = new Map<string, T>();

  share(key: string, copy: () => T): T {
    const found = this.known.get(key);
    if (found !== undefined) return found;
    if (this.known.size >= MOST_KEPT) this.known.clear();
    const value = copy();
    this.known.set(key, value);
    return value;
  }
}

const strings = new SharedValues<string>();
const zoneLists = new SharedValues<readonly ComplianceZone[]>();
const records = new SharedValues<Readonly<Record<string, number>>>();
const NO_NAMES: readonly string[] = Object.freeze([]);

export function sharedString(value: string): string {
  return strings.share(value, () => value);
}

export function sharedZones(zones: readonly ComplianceZone[]): readonly ComplianceZone[] {
  return zoneLists.share(zones.join(','), () => Object.freeze([...zones]));
}

/** Keyed by names and exact values (−0 apart from 0, as a score could tell them apart). */
export function sharedRecord(record: Readonly<Record<string, number>>): Readonly<Record<string, number>> {
  let key = '';
  for (const [name, value] of Object.entries(record))
    key += `${JSON.stringify(name)}:${Object.is(value, -0) ? '-0' : String(value)},`;
  return records.share(key, () => Object.freeze({ ...record }));
}

/** Distinct names in first-seen order, each a shared string; one shared empty list. */
export function sharedNames(names: Iterable<string>): readonly string[] {
  const distinct = [...new Set(names)];
  return distinct.length === 0 ? NO_NAMES : Object.freeze(distinct.map(sharedString));
}

import { PgDatabase } from '@kailash/backbone';
import type { EdgeDiscoveryQuery } from '@kailash/contracts';
import { COMPLIANCE_ZONES, EDGE_LIFECYCLE_STATES, edgeDiscoverySchema } from '@kailash/contracts';
import { seededRandom } from '@kailash/random';
import type { TestDatabase } from '@kailash/testing';
import { createTestDatabase } from '@kailash/testing';
import type { QueryRunner } from 'typeorm';
import { discoverEdges } from '../edges/edges.read-model';
import { CreateEdges1764100000100 } from '../migrations/1764100000100-create-edges';
import { EdgePlacementFacts1764100000300 } from '../migrations/1764100000300-edge-placement-facts';
import { syntheticFleet } from '../../test/placement/synthetic-fleet';
import { EdgesVersionIndex1764590000000 } from './1764590000000-edges-version-index';
import type { FleetEdge } from './engine/fleet';
import { buildFleet } from './engine/fleet';
import { nearbyCandidates } from './nearby';

const EDGES = 3_000;

/** Writes edges as the projection would hold them; `version` is the row's stream position. */
async function seed(
  db: PgDatabase,
  edges: readonly FleetEdge[],
  version: (i: number) => number,
): Promise<void> {
  const at = new Date('2026-12-01T10:00:00.000Z');
  for (let from = 0; from < edges.length; from += 500) {
    const chunk = edges.slice(from, from + 500);
    const params: unknown[] = [];
    const rows = chunk.map((edge, i) => {
      const values = [
        edge.edgeId,
        edge.name,
        edge.region,
        edge.lat,
        edge.lon,
        JSON.stringify(edge.capacity),
        [...edge.zones],
        JSON.stringify({ tier: i % 2 === 0 ? 'gold' : 'silver' }),
        edge.lifecycle,
        version(from + i),
        at,
        at,
        'hlc',
        [...edge.dataSets],
        edge.costPerHour ?? null,
      ];
      const start = params.length;
      params.push(...values);
      return `(${values.map((_, k) => `$${start + k + 1}`).join(', ')})`;
    });
    await db.query(
      `INSERT INTO edges (edge_id, name, region, lat, lon, capacity, zones, tags, lifecycle, version, registered_at, updated_at, last_hlc, data_sets, cost_per_hour)
       VALUES ${rows.join(', ')}
       ON CONFLICT (edge_id) DO UPDATE SET lat = EXCLUDED.lat, lon = EXCLUDED.lon, lifecycle = EXCLUDED.lifecycle, version = EXCLUDED.version`,
      params,
    );
  }
}

/** Radius queries from anywhere, some with the other filters and pages. */
function queries(count: number, seedValue: number): EdgeDiscoveryQuery[] {
  const random = seededRandom(seedValue);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, () =>
    edgeDiscoverySchema.parse({
      near: { lat: (Math.asin(2 * random() - 1) * 180) / Math.PI, lon: 360 * random() - 180 },
      radiusKm: Math.min(20_000, pick([50, 300, 1_000, 2_500, 20_000]) * (0.5 + random())),
      ...(random() < 0.3 ? { lifecycle: pick(EDGE_LIFECYCLE_STATES) } : {}),
      ...(random() < 0.2 ? { zone: pick(COMPLIANCE_ZONES) } : {}),
      ...(random() < 0.2 ? { region: `region-${Math.floor(random() * 16)}` } : {}),
      ...(random() < 0.2 ? { tag: 'tier=gold' } : {}),
      limit: pick([5, 100, 1_000]),
      offset: random() < 0.2 ? 3 : 0,
    }),
  );
}

describe('discovery by radius from the fleet index equals the SQL haversine over every edge (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  const edges = syntheticFleet(EDGES, 21);
  const fleet = buildFleet(edges, EDGES);

  beforeAll(async () => {
    database = await createTestDatabase('placement_nearby');
    db = new PgDatabase(database.pool);
    const runner = { query: (sql: string) => database.pool.query(sql) } as unknown as QueryRunner;
    await new CreateEdges1764100000100().up(runner);
    await new EdgePlacementFacts1764100000300().up(runner);
    await new EdgesVersionIndex1764590000000().up(runner);
    await seed(db, edges, (i) => i + 1);
  }, 60_000);
  afterAll(() => database?.drop(), 30_000);

  it('returns the same edges, distances, order and totals on a seeded fleet', async () => {
    let nonEmpty = 0;
    for (const query of queries(60, 5)) {
      const near = query.near as NonNullable<EdgeDiscoveryQuery['near']>;
      const candidates = nearbyCandidates(fleet, near, query.radiusKm as number);
      const fromIndex = await discoverEdges(db, query, candidates);
      expect(fromIndex).toEqual(await discoverEdges(db, query));
      if (fromIndex.edges.length > 0) nonEmpty += 1;
      // The index narrowed the rows: fewer candidates than the fleet unless the radius spans the globe.
      if ((query.radiusKm as number) < 2_000) expect(candidates.edgeIds.length).toBeLessThan(EDGES / 2);
    }
    expect(nonEmpty).toBeGreaterThan(20);
  });

  it('still matches when the projection moved edges after the index position (those rows are checked too)', async () => {
    const random = seededRandom(9);
    const moved = edges
      .filter(() => random() < 0.1)
      .map((edge) => ({
        ...edge,
        lat: edge.lat / 2,
        lon: (edge.lon + 90) % 180,
        lifecycle: 'active' as const,
      }));
    await seed(db, moved, (i) => EDGES + 1 + i);
    for (const query of queries(40, 6)) {
      const near = query.near as NonNullable<EdgeDiscoveryQuery['near']>;
      const candidates = nearbyCandidates(fleet, near, query.radiusKm as number);
      expect(await discoverEdges(db, query, candidates)).toEqual(await discoverEdges(db, query));
    }
  });
});

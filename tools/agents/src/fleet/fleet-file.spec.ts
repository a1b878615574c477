import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KailashError } from '@kailash/contracts';
import { loadFleet, parseFleet, workloadsOf } from './fleet-file';

const FLEETS = join(__dirname, '..', '..', 'fleets');

const anEdge = { edgeId: 'e-1', name: 'E 1', region: 'eu-west', location: { lat: 1, lon: 2 } };
const aFunction = { name: 'f', initMs: 10, memoryMb: 1, execMs: 1, keepAliveMs: 1000 };
const minimal = () => ({
  name: 'tiny',
  workloads: {
    functions: [{ name: 'f', initMs: 10, memoryMb: 1, execMs: 1, keepAliveMs: 1000 }],
    kv: [],
  },
  edges: [{ edgeId: 'e-1', name: 'E 1', region: 'eu-west', location: { lat: 1, lon: 2 } }],
  clients: [{ name: 'C', location: { lat: 1, lon: 2 }, country: 'FR', weight: 1 }],
});

const fieldsOf = (input: unknown): string[] => {
  try {
    parseFleet(input);
  } catch (error) {
    const details = (error as KailashError).details as { issues: { field: string }[] };
    return details.issues.map((issue) => issue.field);
  }
  throw new Error('the fleet was accepted');
};

describe('fleet files', () => {
  it.each(readdirSync(FLEETS))('%s loads, with unique edges that each host a workload', (file) => {
    const fleet = loadFleet(join(FLEETS, file));
    expect(`${fleet.name}.json`).toBe(file);
    expect(new Set(fleet.edges.map((edge) => edge.edgeId)).size).toBe(fleet.edges.length);
    for (const edge of fleet.edges) expect(workloadsOf(fleet, edge).length).toBeGreaterThan(0);
  });

  it('the example fleets are Europe (5 edges, the tour), the world and a GDPR mix', () => {
    expect(readdirSync(FLEETS).sort()).toEqual(['europe.json', 'gdpr-mix.json', 'world.json']);
    expect(loadFleet(join(FLEETS, 'europe.json')).edges).toHaveLength(5);
    const gdpr = loadFleet(join(FLEETS, 'gdpr-mix.json'));
    expect(gdpr.edges.some((edge) => edge.zones.includes('gdpr'))).toBe(true);
    expect(gdpr.edges.some((edge) => !edge.zones.includes('gdpr'))).toBe(true);
  });

  it('an edge without a workload list hosts every workload; one with a list hosts those', () => {
    const fleet = parseFleet(minimal());
    const [edge] = fleet.edges;
    expect(edge && workloadsOf(fleet, edge)).toEqual(['f']);
    const listed = parseFleet({ ...minimal(), edges: [{ ...minimal().edges[0], workloads: [] }] });
    const [listedEdge] = listed.edges;
    expect(listedEdge && workloadsOf(listed, listedEdge)).toEqual([]);
  });

  it('refuses a bad field naming it', () => {
    const badZone = minimal();
    (badZone.edges[0] as Record<string, unknown>)['zones'] = ['moon'];
    expect(fieldsOf(badZone)).toEqual(['edges.0.zones.0']);
    const noId = minimal();
    delete (noId.edges[0] as Record<string, unknown>)['edgeId'];
    expect(fieldsOf(noId)).toEqual(['edges.0.edgeId']);
    expect(fieldsOf({ ...minimal(), extra: 1 })).toEqual(['extra']);
  });

  it('refuses duplicate edges, duplicate workloads and an edge naming an unknown workload', () => {
    const twice = minimal();
    twice.edges.push({ ...anEdge });
    expect(fieldsOf(twice)).toEqual(['edges']);
    expect(fieldsOf({ ...minimal(), workloads: { functions: [aFunction], kv: [{ name: 'f' }] } })).toEqual([
      'workloads',
    ]);
    expect(fieldsOf({ ...minimal(), edges: [{ ...minimal().edges[0], workloads: ['nope'] }] })).toEqual([
      'edges.0.workloads.0',
    ]);
  });

  it('refuses an edge that leaves out a key/value store (any edge may be made its owner)', () => {
    const fleet = { ...minimal(), workloads: { ...minimal().workloads, kv: [{ name: 'carts' }] } };
    expect(fieldsOf({ ...fleet, edges: [{ ...fleet.edges[0], workloads: ['f'] }] })).toEqual([
      'edges.0.workloads',
    ]);
    expect(parseFleet({ ...fleet, edges: [{ ...fleet.edges[0], workloads: ['carts'] }] }).edges).toHaveLength(
      1,
    );
  });

  it('a file that is not JSON is named in the error', () => {
    expect(() => loadFleet(__filename)).toThrow(__filename);
  });
});

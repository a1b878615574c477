import { join } from 'node:path';
import { seededRandom } from '@kailash/random';
import { loadFleet } from '../fleet/fleet-file';
import { DEFAULT_MIX, parseMix, RequestPlanner } from './request-plan';

const europe = loadFleet(join(__dirname, '..', '..', 'fleets', 'europe.json'));

describe('request planning', () => {
  it('parses and normalises a mix, refusing what it cannot read', () => {
    expect(parseMix('invoke=2,get=1,put=1')).toEqual({ invoke: 0.5, get: 0.25, put: 0.25 });
    expect(parseMix('get=1')).toEqual({ invoke: 0, get: 1, put: 0 });
    expect(() => parseMix('delete=1')).toThrow('"delete=1"');
    expect(() => parseMix('get=-1')).toThrow('"get=-1"');
    expect(() => parseMix('get=0')).toThrow('sum to 0');
  });

  it('a functions trace invokes the function its series maps to, round the list', () => {
    const planner = new RequestPlanner(europe, 'azure-functions-day', DEFAULT_MIX, seededRandom(1));
    const names = [0, 1, 2, 3].map((series) => planner.plan({ atMs: 0, series }));
    expect(names.map((r) => r?.operation)).toEqual(Array(4).fill('workload.invoke'));
    expect(names.map((r) => r?.data['workloadId'])).toEqual(['thumbnail', 'checkout', 'search', 'thumbnail']);
  });

  it('a web trace splits by the mix, over the fleet’s stores and keys, from its client cities by weight', () => {
    const planner = new RequestPlanner(europe, 'nasa-http', DEFAULT_MIX, seededRandom(2));
    const requests = Array.from({ length: 4000 }, () => planner.plan({ atMs: 0, series: 0 }));
    const share = (op: string) => requests.filter((r) => r?.operation === op).length / requests.length;
    expect(share('workload.invoke')).toBeCloseTo(0.5, 1);
    expect(share('kv.get')).toBeCloseTo(0.4, 1);
    expect(share('kv.put')).toBeCloseTo(0.1, 1);
    const keyRequests = requests.filter((r) => r?.target.kind === 'key');
    expect(keyRequests.every((r) => r?.data['store'] === 'sessions')).toBe(true);
    expect(new Set(keyRequests.map((r) => r?.data['key'])).size).toBeGreaterThan(500);
    // Paris weighs 11 of 42: about a quarter of the invocations come from there.
    const invocations = requests.filter((r) => r?.target.kind === 'function');
    const fromParis = invocations.filter(
      (r) => r?.target.kind === 'function' && r.target.country === 'FR' && r.target.client.lat === 48.8566,
    );
    expect(fromParis.length / invocations.length).toBeCloseTo(11 / 42, 1);
  });
});

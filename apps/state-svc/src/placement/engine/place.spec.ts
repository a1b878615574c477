import type { PlacementRequestInput, PlacementResult } from '@kailash/contracts';
import { placementResultSchema } from '@kailash/contracts';
import { buildFleet } from './fleet';
import { place, placeByFullScan } from './place';
import { parseRequest, syntheticFleet, syntheticRequests } from '../../../test/placement/synthetic-fleet';
import { FRANKFURT, NEW_YORK, PARIS, testEdge, TOKYO } from '../../../test/placement/test-edges';

const ids = (result: PlacementResult) => result.candidates.map((candidate) => candidate.edgeId);
const run = (edges: Parameters<typeof buildFleet>[0], input: PlacementRequestInput) =>
  place(buildFleet(edges), parseRequest(input));

describe.each(['geographic', 'random'] as const)(
  'place() with %s zones: exactly what scoring every edge gives',
  (zones) => {
    const fleet = buildFleet(syntheticFleet(3_000, 11, zones), 42);
    const requests = syntheticRequests(150, zones === 'geographic' ? 12 : 13).map(parseRequest);

    it.each(requests.map((request, i) => [i, request.strategy, request] as const))(
      'request %i (%s) matches the full scan',
      (_i, _strategy, request) => {
        const indexed = place(fleet, request);
        const scanned = placeByFullScan(fleet, request);
        expect(ids(indexed)).toEqual(ids(scanned));
        indexed.candidates.forEach((candidate, i) =>
          expect(candidate.score).toBeCloseTo(scanned.candidates[i]?.score ?? NaN, 1),
        );
        if (indexed.pruned === 0) expect(indexed.filtered).toEqual(scanned.filtered);
        for (const [reason, count] of Object.entries(indexed.filtered)) {
          expect(count).toBeLessThanOrEqual(scanned.filtered[reason as keyof PlacementResult['filtered']]);
        }
        expect(indexed.examined + indexed.pruned).toBe(fleet.placeableCount);
        expect(placementResultSchema.safeParse(indexed).success).toBe(true);
      },
    );

    it('prunes: a latency-led request examines a small part of the fleet', () => {
      const result = place(
        fleet,
        parseRequest({ client: PARIS, strategy: 'latency_optimal', maxResults: 3 }),
      );
      expect(result.candidates).toHaveLength(3);
      expect(result.examined).toBeLessThan(fleet.placeableCount / 10);
      expect(result.pruned).toBe(fleet.placeableCount - result.examined);
      expect(result.fleetSize).toBe(3_000);
      expect(result.fleetPosition).toBe(42);
    });
  },
);

describe('place(): compliance is a filter, never a score', () => {
  const parisPublic = testEdge('paris-public', { ...PARIS, zones: ['public'], costPerHour: 0.1 });
  const frankfurtGdpr = testEdge('frankfurt-gdpr', {
    ...FRANKFURT,
    region: 'eu-central',
    zones: ['gdpr'],
    costPerHour: 9,
  });
  const newYorkHipaa = testEdge('ny-hipaa', { ...NEW_YORK, region: 'us-east', zones: ['hipaa', 'public'] });

  it('never returns a non-gdpr edge for French personal data, even a closer and cheaper one', () => {
    for (const strategy of ['latency_optimal', 'cost_optimal', 'balanced'] as const) {
      const result = run([parisPublic, frankfurtGdpr, newYorkHipaa], {
        client: PARIS,
        strategy,
        compliance: { classifications: ['pii'], subjectCountry: 'FR' },
      });
      expect(ids(result)).toEqual(['frankfurt-gdpr']);
      expect(result.requiredZones).toEqual(['gdpr']);
      expect(result.filtered.compliance).toBe(2);
    }
  });

  it('without personal data the closer edge wins', () => {
    expect(ids(run([parisPublic, frankfurtGdpr], { client: PARIS, strategy: 'latency_optimal' }))[0]).toBe(
      'paris-public',
    );
  });

  it('phi needs hipaa wherever the client is', () => {
    expect(
      ids(
        run([parisPublic, frankfurtGdpr, newYorkHipaa], {
          client: PARIS,
          compliance: { classifications: ['phi'] },
        }),
      ),
    ).toEqual(['ny-hipaa']);
  });
});

describe('place(): hard filters and their tally', () => {
  it('turns away draining, inactive, too small, too far and too dear edges, and counts each', () => {
    const edges = [
      testEdge('ok', { ...PARIS }),
      testEdge('draining', { lifecycle: 'draining' }),
      testEdge('warming', { lifecycle: 'warming' }),
      testEdge('terminated', { lifecycle: 'terminated' }),
      testEdge('small', { capacity: { cpu: 1 } }),
      testEdge('far', { ...TOKYO }),
      testEdge('dear', { costPerHour: 50 }),
    ];
    const result = run(edges, {
      client: PARIS,
      resources: { cpu: 4 },
      latencyBudgetMs: 20,
      maxCostPerHour: 10,
      strategy: 'balanced',
    });
    expect(ids(result)).toEqual(['ok']);
    expect(result.filtered).toEqual({
      inactive: 2,
      draining: 1,
      compliance: 0,
      capacity: 1,
      latency_budget: 1,
      cost: 1,
    });
  });

  it('estimates RTT from distance: 2 × 1.3 × km / 200 + 2 ms', () => {
    const [candidate] = run([testEdge('fra', { ...FRANKFURT })], { client: PARIS }).candidates;
    expect(candidate?.distanceKm).toBeCloseTo(477.9, 0);
    expect(candidate?.estimatedRttMs).toBeCloseTo((2 * 1.3 * 477.9) / 200 + 2, 1);
  });

  it('returns no candidates, not an error, when nothing passes', () => {
    const result = run([testEdge('tokyo', { ...TOKYO })], { client: PARIS, latencyBudgetMs: 10 });
    expect(result.candidates).toEqual([]);
    // The only edge lies beyond the budget's radius, so its tree node is never opened: pruned, not examined.
    expect(result).toEqual(expect.objectContaining({ examined: 0, pruned: 1 }));
  });

  it('prunes whole subtrees that cannot pass a filter: a gdpr request over a fleet without gdpr examines nothing', () => {
    const fleet = buildFleet(
      syntheticFleet(2_000, 5).map((edge) => ({ ...edge, zoneMask: edge.zoneMask & ~1 })),
    );
    const result = place(
      fleet,
      parseRequest({ client: PARIS, compliance: { classifications: ['eu_personal'] } }),
    );
    expect(result.candidates).toEqual([]);
    expect(result.examined).toBe(0);
    expect(result.pruned).toBe(fleet.placeableCount);
  });
});

describe('place(): strategies pick what they are named for', () => {
  const near = testEdge('near-dear-small-busy', {
    ...PARIS,
    costPerHour: 8,
    capacity: { cpu: 8 },
    allocated: { cpu: 6 },
  });
  const cheap = testEdge('far-cheap', {
    ...FRANKFURT,
    costPerHour: 0.5,
    capacity: { cpu: 8 },
    allocated: { cpu: 6 },
  });
  const big = testEdge('far-big-idle', { lat: 52.52, lon: 13.405, costPerHour: 8, capacity: { cpu: 256 } });
  const holder = testEdge('far-holder', {
    lat: 51.5072,
    lon: -0.1276,
    costPerHour: 8,
    capacity: { cpu: 8 },
    allocated: { cpu: 6 },
    dataSets: ['orders', 'users'],
  });
  const fleet = [near, cheap, big, holder];
  const winner = (input: Omit<PlacementRequestInput, 'client'>) =>
    ids(run(fleet, { client: PARIS, dataSets: ['orders', 'users'], ...input }))[0];

  it.each([
    ['latency_optimal', 'near-dear-small-busy'],
    ['performance_optimal', 'far-big-idle'],
    ['cost_optimal', 'far-cheap'],
    ['capacity_optimal', 'far-big-idle'],
    ['load_balanced', 'far-big-idle'],
    ['data_locality', 'far-holder'],
    ['compliance_first', 'far-holder'],
  ] as const)('%s → %s', (strategy, expected) => {
    expect(winner({ strategy })).toBe(expected);
  });

  it('weight overrides change the winner and are reported normalised', () => {
    const result = run(fleet, {
      client: PARIS,
      strategy: 'cost_optimal',
      weights: { cost: 0, geographic: 1 },
    });
    expect(ids(result)[0]).toBe('near-dear-small-busy');
    expect(Object.values(result.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(result.weights.cost).toBe(0);
  });

  it('explains each candidate with its distance, RTT, data held and leading factors', () => {
    const [top] = run(fleet, {
      client: PARIS,
      strategy: 'data_locality',
      dataSets: ['orders', 'users'],
    }).candidates;
    expect(top?.explanation).toMatch(
      /^far-holder \(eu-west\): 34\d km from the client \(est\. RTT \d+\.\d ms\); no compliance zone required; holds 2\/2 requested data sets; costs 8\/h\. Score \d+\.\d, led by dataLocality 100 × 0\.60/,
    );
    expect(top?.scores.dataLocality).toBe(100);
  });

  it('caps the answer at maxResults, best first', () => {
    const result = run(fleet, { client: PARIS, maxResults: 2 });
    expect(result.candidates).toHaveLength(2);
    expect(result.candidates[0]?.score).toBeGreaterThanOrEqual(result.candidates[1]?.score ?? Infinity);
  });
});

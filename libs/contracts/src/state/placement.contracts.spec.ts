import { parseWith } from '../validation';
import {
  DEFAULT_STRATEGY_WEIGHTS,
  effectiveWeights,
  PlaceWorkload,
  placementRequestSchema,
  PLACEMENT_STRATEGIES,
} from './placement.contracts';

/** The fields a VALIDATION_FAILED error names for this input; none when it is valid. */
function fieldsOf(input: unknown): string[] {
  try {
    parseWith(placementRequestSchema, input);
    return [];
  } catch (error) {
    return (error as { details: { issues: { field: string }[] } }).details.issues.map((issue) => issue.field);
  }
}

describe('placement contracts', () => {
  it('fills the documented defaults', () => {
    expect(placementRequestSchema.parse({ client: { lat: 48.85, lon: 2.35 } })).toEqual({
      client: { lat: 48.85, lon: 2.35 },
      dataSets: [],
      compliance: { classifications: [], requiredZones: [] },
      resources: {},
      strategy: 'balanced',
      maxResults: 5,
    });
  });

  it('accepts a full request', () => {
    const request = placementRequestSchema.parse({
      client: { lat: -33.9, lon: 151.2 },
      dataSets: ['orders', 'users:v2'],
      compliance: { classifications: ['pii', 'pci'], subjectCountry: 'AU', requiredZones: ['itar'] },
      resources: { cpu: 2, memory: 4, 'custom:fpga': 1 },
      latencyBudgetMs: 40,
      maxCostPerHour: 1.5,
      strategy: 'cost_optimal',
      weights: { geographic: 2 },
      maxResults: 10,
    });
    expect(request.weights).toEqual({ geographic: 2 });
  });

  it.each([
    ['strategy', { strategy: 'fastest' }],
    ['client.lat', { client: { lat: -90.1, lon: 0 } }],
    ['client.lon', { client: { lat: 0, lon: 181 } }],
    ['colour', { colour: 'red' }],
    ['maxResults', { maxResults: 0 }],
    ['maxResults', { maxResults: 2.5 }],
    ['latencyBudgetMs', { latencyBudgetMs: 0 }],
    ['maxCostPerHour', { maxCostPerHour: -1 }],
    ['compliance.subjectCountry', { compliance: { subjectCountry: 'fr' } }],
    ['compliance.classifications.0', { compliance: { classifications: ['secret'] } }],
    ['compliance.requiredZones.0', { compliance: { requiredZones: ['mars'] } }],
    ['resources.cpus', { resources: { cpus: 1 } }],
    ['resources.cpu', { resources: { cpu: -1 } }],
    ['dataSets.0', { dataSets: ['has space'] }],
    ['weights.speed', { weights: { speed: 1 } }],
    ['weights.load', { weights: { load: -0.1 } }],
    ['weights', { strategy: 'performance_optimal', weights: { geographic: 0, load: 0, capacity: 0 } }],
  ])('refuses a bad %s', (field, patch) => {
    expect(fieldsOf({ client: { lat: 0, lon: 0 }, ...patch })).toContain(field);
  });

  it('lets overrides zero some weights as long as one stays positive', () => {
    expect(
      fieldsOf({
        client: { lat: 0, lon: 0 },
        strategy: 'performance_optimal',
        weights: { geographic: 0, load: 0 },
      }),
    ).toEqual([]);
    expect(effectiveWeights('performance_optimal', { geographic: 0, load: 0 })).toEqual({
      ...DEFAULT_STRATEGY_WEIGHTS.performance_optimal,
      geographic: 0,
      load: 0,
    });
  });

  it('names every strategy the issue asks for and defines the NATS query', () => {
    expect([...PLACEMENT_STRATEGIES].sort()).toEqual([
      'balanced',
      'capacity_optimal',
      'compliance_first',
      'cost_optimal',
      'data_locality',
      'latency_optimal',
      'load_balanced',
      'performance_optimal',
    ]);
    expect(PlaceWorkload).toEqual(
      expect.objectContaining({ kind: 'query', domain: 'state', name: 'placement.place' }),
    );
  });
});

import type { FilterContext } from './filters';
import { hasCapacity, lifecycleFilter, meetsCompliance, rejectReason, withinCost } from './filters';
import { zoneMask } from './compliance';
import { testEdge } from '../../../test/placement/test-edges';

const open: FilterContext = { requiredMask: 0, resources: {}, maxKm: Infinity, maxCostPerHour: undefined };

describe('placement hard filters', () => {
  it.each([
    ['active', undefined],
    ['draining', 'draining'],
    ['initialized', 'inactive'],
    ['warming', 'inactive'],
    ['terminated', 'inactive'],
  ] as const)('lifecycle %s → %s', (lifecycle, reason) => {
    expect(lifecycleFilter(lifecycle)).toBe(reason);
    expect(rejectReason(testEdge('e', { lifecycle }), 0, open)).toBe(reason);
  });

  it('compliance needs every required zone on the edge, extra zones are fine', () => {
    const edge = testEdge('e', { zones: ['gdpr', 'public'] });
    expect(meetsCompliance(edge, zoneMask(['gdpr']))).toBe(true);
    expect(meetsCompliance(edge, 0)).toBe(true);
    expect(meetsCompliance(edge, zoneMask(['gdpr', 'hipaa']))).toBe(false);
    expect(rejectReason(edge, 0, { ...open, requiredMask: zoneMask(['hipaa']) })).toBe('compliance');
  });

  it('capacity compares free (capacity − allocated) with the need, per resource type', () => {
    const edge = testEdge('e', { capacity: { cpu: 16, gpu: 2, 'custom:fpga': 1 }, allocated: { cpu: 10 } });
    expect(hasCapacity(edge, { cpu: 6 })).toBe(true);
    expect(hasCapacity(edge, { cpu: 7 })).toBe(false);
    expect(hasCapacity(edge, { gpu: 2, 'custom:fpga': 1 })).toBe(true);
    expect(hasCapacity(edge, { memory: 1 })).toBe(false);
    expect(hasCapacity(edge, { memory: 0 })).toBe(true);
    expect(rejectReason(edge, 0, { ...open, resources: { cpu: 7 } })).toBe('capacity');
  });

  it('latency budget turns away edges beyond the distance the budget reaches', () => {
    expect(rejectReason(testEdge('e'), 100.1, { ...open, maxKm: 100 })).toBe('latency_budget');
    expect(rejectReason(testEdge('e'), 100, { ...open, maxKm: 100 })).toBeUndefined();
  });

  it('a cost cap keeps cheaper edges and turns away dearer ones and those with no known rate', () => {
    expect(withinCost(testEdge('e', { costPerHour: 2 }), 2)).toBe(true);
    expect(withinCost(testEdge('e', { costPerHour: 2.01 }), 2)).toBe(false);
    expect(withinCost(testEdge('e', { costPerHour: undefined }), 2)).toBe(false);
    expect(withinCost(testEdge('e', { costPerHour: undefined }), undefined)).toBe(true);
    expect(rejectReason(testEdge('e', { costPerHour: 3 }), 0, { ...open, maxCostPerHour: 2 })).toBe('cost');
  });

  it('reports the first failing filter in order: lifecycle, latency, compliance, capacity, cost', () => {
    const strict: FilterContext = {
      requiredMask: zoneMask(['gdpr']),
      resources: { cpu: 1 },
      maxKm: 1,
      maxCostPerHour: 1,
    };
    const failing = { zones: [], capacity: {}, costPerHour: 9 } as const;
    expect(rejectReason(testEdge('e', { ...failing, lifecycle: 'draining' }), 5, strict)).toBe('draining');
    expect(rejectReason(testEdge('e', failing), 5, strict)).toBe('latency_budget');
    expect(rejectReason(testEdge('e', failing), 0, strict)).toBe('compliance');
    expect(rejectReason(testEdge('e', { ...failing, zones: ['gdpr'] }), 0, strict)).toBe('capacity');
    expect(rejectReason(testEdge('e', { zones: ['gdpr'], costPerHour: 9 }), 0, strict)).toBe('cost');
    expect(rejectReason(testEdge('e', { zones: ['gdpr'], costPerHour: 1 }), 0, strict)).toBeUndefined();
  });
});

import { edgeFactOf } from './allocated';

const stored = (health: string | null, utilisation: Record<string, number> | null) => ({
  edgeId: 'e1',
  health,
  utilisation,
  version: 7,
});

describe('edgeFactOf', () => {
  it('is unhealthy only for `unhealthy`; degraded and unknown stay placeable', () => {
    expect(edgeFactOf(stored('unhealthy', null), undefined)).toEqual({ edgeId: 'e1', healthy: false });
    expect(edgeFactOf(stored('degraded', null), undefined)).toEqual({ edgeId: 'e1', healthy: true });
    expect(edgeFactOf(stored('unknown', null), undefined)).toEqual({ edgeId: 'e1', healthy: true });
    expect(edgeFactOf(stored('healthy', null), undefined)).toEqual({ edgeId: 'e1', healthy: true });
  });

  it('scales measured shares by the declared capacity of the same resource', () => {
    const fact = edgeFactOf(stored(null, { cpu: 0.75, memory: 0.5, storage: 0.2 }), {
      cpu: 16,
      memory: 64,
      gpu: 2,
    });
    expect(fact).toEqual({ edgeId: 'e1', allocated: { cpu: 12, memory: 32 } });
  });

  it('leaves allocation alone while the capacity is not known', () => {
    expect(edgeFactOf(stored('healthy', { cpu: 0.9 }), undefined)).toEqual({ edgeId: 'e1', healthy: true });
  });
});

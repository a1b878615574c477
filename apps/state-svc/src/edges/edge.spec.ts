import type { EdgeEvent } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import type { EdgeCommand } from './edge';
import { decide, evolve, initialState } from './edge';

const registration = {
  edgeId: 'paris-1',
  name: 'Paris 1',
  region: 'eu-west',
  location: { lat: 48.85, lon: 2.35 },
  capacity: { cpu: 16 },
  zones: ['gdpr' as const],
  tags: {},
};
const register: EdgeCommand = { type: 'RegisterEdge', data: registration, now: '2026-11-26T10:00:00.000Z' };

const asEvent = (draft: ReturnType<typeof decide>[number]): EdgeEvent =>
  ({ type: draft.definition.type, data: draft.data }) as unknown as EdgeEvent;

describe('edge decider', () => {
  it('given no edge, when registering, then edge.registered with the registration time', () => {
    const events = decide(register, initialState());
    expect(events).toHaveLength(1);
    expect(events[0]?.definition.type).toBe('edge.registered');
    expect(events[0]?.aggregateId).toBe('paris-1');
    expect(events[0]?.data).toEqual({ ...registration, registeredAt: register.now });
  });

  it('given a registered edge, when registering again, then CONFLICT naming the edge', () => {
    const state = decide(register, initialState()).map(asEvent).reduce(evolve, initialState());
    expect(() => decide(register, state)).toThrow(KailashError);
    expect(() => decide(register, state)).toThrow(/paris-1.*already registered/);
  });

  it('evolves a registration into an initialized edge', () => {
    const state = decide(register, initialState()).map(asEvent).reduce(evolve, initialState());
    expect(state).toEqual({
      status: 'registered',
      lifecycle: 'initialized',
      updatedAt: register.now,
      edge: { ...registration, endpoint: null, registeredAt: register.now },
    });
  });
});

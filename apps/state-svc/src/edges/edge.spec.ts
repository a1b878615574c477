import type { EdgeEvent, EdgeLifecycle } from '@kailash/contracts';
import { EDGE_TRANSITIONS, KailashError } from '@kailash/contracts';
import type { EdgeCommand, EdgeState } from './edge';
import { decide, evolve, initialState } from './edge';

const registration = {
  name: 'Paris 1',
  region: 'eu-west',
  location: { lat: 48.85, lon: 2.35 },
  capacity: { cpu: 16 },
  zones: ['gdpr' as const],
  tags: {},
};
const now = '2026-11-26T10:00:00.000Z';
const meta = { edgeId: 'paris-1', now };
const register: EdgeCommand = { type: 'RegisterEdge', data: registration, ...meta };
const move = (to: EdgeLifecycle): EdgeCommand => ({
  type: 'TransitionEdge',
  to,
  reason: 'test',
  actor: 'tester',
  ...meta,
});

const asEvent = (draft: ReturnType<typeof decide>[number]) =>
  ({ type: draft.definition.type, v: draft.definition.v, data: draft.data }) as unknown as EdgeEvent;

/** given commands → the state their events fold into (the write model's own loop, in miniature) */
function given(...commands: EdgeCommand[]): EdgeState {
  return commands.reduce(
    (state, command) => decide(command, state).map(asEvent).reduce(evolve, state),
    initialState(),
  );
}

describe('edge decider', () => {
  it('registers an edge as initialized, with the registration time', () => {
    const [event] = decide(register, initialState());
    expect(event?.definition.type).toBe('edge.registered');
    expect(event?.definition.v).toBe(2);
    expect(event?.data).toEqual({
      edgeId: 'paris-1',
      registeredAt: now,
      edge: {
        ...registration,
        edgeId: 'paris-1',
        endpoint: null,
        lifecycle: 'initialized',
        registeredAt: now,
        updatedAt: now,
      },
    });
    expect(given(register)).toEqual({
      status: 'registered',
      lifecycle: 'initialized',
      updatedAt: now,
      edge: { ...registration, edgeId: 'paris-1', endpoint: null, registeredAt: now },
    });
  });

  it('refuses a second registration of the same id', () => {
    expect(() => decide(register, given(register))).toThrow(/paris-1.*already registered/);
  });

  it('walks the whole lifecycle: warming → active → draining → active → draining → terminated', () => {
    const state = given(
      register,
      move('warming'),
      move('active'),
      move('draining'),
      move('active'),
      move('draining'),
      move('terminated'),
    );
    expect(state.status === 'registered' && state.lifecycle).toBe('terminated');
  });

  it.each(
    (Object.keys(EDGE_TRANSITIONS) as EdgeLifecycle[]).flatMap((from) =>
      (Object.keys(EDGE_TRANSITIONS) as EdgeLifecycle[]).map((to) => [from, to] as const),
    ),
  )('from %s to %s follows the transition table', (from, to) => {
    const path: Record<EdgeLifecycle, EdgeLifecycle[]> = {
      initialized: [],
      warming: ['warming'],
      active: ['warming', 'active'],
      draining: ['warming', 'active', 'draining'],
      terminated: ['terminated'],
    };
    const state = given(register, ...path[from].map(move));
    const allowed = EDGE_TRANSITIONS[from].includes(to);
    if (allowed)
      expect(decide(move(to), state)[0]?.data).toEqual(
        expect.objectContaining({ from, to, reason: 'test', actor: 'tester' }),
      );
    else expect(() => decide(move(to), state)).toThrow(KailashError);
  });

  it('names the allowed transitions when refusing one', () => {
    try {
      decide(move('warming'), given(register, move('warming'), move('active')));
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as KailashError).code).toBe('INVALID_TRANSITION');
      expect((error as KailashError).message).toMatch(/allowed from active: draining, terminated/);
      expect((error as KailashError).details).toEqual(
        expect.objectContaining({ allowed: ['draining', 'terminated'] }),
      );
    }
  });

  it('updates description fields without touching the lifecycle', () => {
    const state = given(register, move('warming'), {
      type: 'UpdateEdge',
      changes: { name: 'Paris One', endpoint: 'https://p1.example' },
      ...meta,
    });
    expect(state).toEqual(
      expect.objectContaining({
        lifecycle: 'warming',
        edge: expect.objectContaining({
          name: 'Paris One',
          endpoint: 'https://p1.example',
          region: 'eu-west',
        }),
      }),
    );
  });

  it('deregisters from any live state into terminated; then nothing changes it', () => {
    const gone = given(register, move('warming'), {
      type: 'DeregisterEdge',
      reason: 'decommissioned',
      actor: 'ops',
      ...meta,
    });
    expect(gone.status === 'registered' && gone.lifecycle).toBe('terminated');
    expect(() => decide({ type: 'UpdateEdge', changes: { name: 'x' }, ...meta }, gone)).toThrow(/terminated/);
    expect(() => decide({ type: 'DeregisterEdge', reason: 'again', actor: 'ops', ...meta }, gone)).toThrow(
      /terminated/,
    );
  });

  it('stamps every event with the edge as it is after the change, which is what evolve folds it into', () => {
    const later = '2026-11-26T11:00:00.000Z';
    const commands: EdgeCommand[] = [
      register,
      { ...move('warming'), now: later },
      { type: 'UpdateEdge', changes: { capacity: { cpu: 32 }, endpoint: 'https://p1.example' }, ...meta },
      move('active'),
      { type: 'DeregisterEdge', reason: 'decommissioned', actor: 'ops', ...meta },
    ];
    let state = initialState();
    for (const command of commands) {
      const events = decide(command, state);
      expect(events).toHaveLength(1);
      state = events.map(asEvent).reduce(evolve, state);
      if (state.status !== 'registered') throw new Error('expected a registered edge');
      expect((events[0]?.data as { edge: unknown }).edge).toEqual({
        ...state.edge,
        lifecycle: state.lifecycle,
        updatedAt: state.updatedAt,
      });
    }
    expect(state).toEqual(
      expect.objectContaining({
        lifecycle: 'terminated',
        edge: expect.objectContaining({ capacity: { cpu: 32 } }),
      }),
    );
  });

  it('still folds version 1 events (no snapshot) into the same state', () => {
    const at = '2026-11-26T12:00:00.000Z';
    const v1: EdgeEvent[] = [
      { type: 'edge.registered', v: 1, data: { ...registration, edgeId: 'paris-1', registeredAt: now } },
      { type: 'edge.updated', v: 1, data: { edgeId: 'paris-1', changes: { name: 'Paris One' }, at } },
      {
        type: 'edge.lifecycle-changed',
        v: 1,
        data: { edgeId: 'paris-1', from: 'initialized', to: 'warming', reason: 'r', actor: 'a', at },
      },
    ].map((event) => event as unknown as EdgeEvent);
    const fromV1 = v1.reduce(evolve, initialState());
    const fromV2 = given(
      register,
      { type: 'UpdateEdge', changes: { name: 'Paris One' }, ...meta, now: at },
      { ...move('warming'), now: at },
    );
    expect(fromV1).toEqual(fromV2);
    const gone = evolve(fromV1, {
      type: 'edge.deregistered',
      v: 1,
      data: { edgeId: 'paris-1', from: 'warming', reason: 'r', actor: 'a', at },
    } as unknown as EdgeEvent);
    expect(gone.status === 'registered' && gone.lifecycle).toBe('terminated');
  });

  it('answers NOT_FOUND for commands on an unknown edge', () => {
    expect(() => decide(move('warming'), initialState())).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });
});

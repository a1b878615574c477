import type { EventDraft } from '@kailash/backbone';
import type { LeaseEvent } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import type { LeaseCommand, LeaseState } from './lease';
import { decide, evolve, initialState } from './lease';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const resource = 'edge:paris-1';

const acquire = (holder: string, now: number, ttlMs = 10_000): LeaseCommand => ({
  type: 'AcquireLease',
  resource,
  holder,
  ttlMs,
  now,
});
const renew = (holder: string, fencingToken: number, now: number, ttlMs?: number): LeaseCommand => ({
  type: 'RenewLease',
  resource,
  holder,
  fencingToken,
  now,
  ...(ttlMs ? { ttlMs } : {}),
});
const release = (holder: string, fencingToken: number, now: number): LeaseCommand => ({
  type: 'ReleaseLease',
  resource,
  holder,
  fencingToken,
  now,
});
const expire = (now: number): LeaseCommand => ({ type: 'ExpireLease', resource, now });

const asEvent = (draft: EventDraft): LeaseEvent =>
  ({ type: draft.definition.type, data: draft.data }) as unknown as LeaseEvent;

/** Given these commands in order, the events they produced and the state after them. */
function given(...commands: LeaseCommand[]): { state: LeaseState; events: LeaseEvent[] } {
  const events: LeaseEvent[] = [];
  let state = initialState();
  for (const command of commands) {
    const produced = decide(command, state).map(asEvent);
    events.push(...produced);
    state = produced.reduce(evolve, state);
  }
  return { state, events };
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

const tokenOf = (state: LeaseState) => (state.status === 'vacant' ? 0 : state.lease.fencingToken);

describe('lease decider', () => {
  it('given no lease, when acquiring, then lease.acquired with token 1 and a deadline ttl ahead', () => {
    const events = decide(acquire('agent-a', T0), initialState());
    expect(events.map((e) => e.definition.type)).toEqual(['lease.acquired']);
    expect(events[0]?.aggregateId).toBe('edge_-paris-1');
    expect(events[0]?.data).toEqual({
      resource,
      holder: 'agent-a',
      fencingToken: 1,
      ttlMs: 10_000,
      acquiredAt: '2026-11-26T10:00:00.000Z',
      renewedAt: null,
      expiresAt: '2026-11-26T10:00:10.000Z',
    });
  });

  it('given a live lease, when someone else acquires, then CONFLICT naming the holder and the deadline', () => {
    const { state } = given(acquire('agent-a', T0));
    const attempt = () => decide(acquire('agent-b', T0 + 9_999), state);
    expect(attempt).toThrow(KailashError);
    expect(attempt).toThrow(
      "the lease on 'edge:paris-1' is held by 'agent-a' until 2026-11-26T10:00:10.000Z",
    );
    expect((thrownBy(attempt) as KailashError).details).toEqual({
      resource,
      reason: 'held',
      holder: 'agent-a',
      expiresAt: '2026-11-26T10:00:10.000Z',
    });
  });

  it('given a live lease, when its holder acquires again, then a new grant fences the old one', () => {
    const { state, events } = given(acquire('agent-a', T0), acquire('agent-a', T0 + 1000));
    expect(events.map((e) => e.type)).toEqual(['lease.acquired', 'lease.acquired']);
    expect(tokenOf(state)).toBe(2);
    expect(() => decide(renew('agent-a', 1, T0 + 2000), state)).toThrow(
      "the lease on 'edge:paris-1': fencing token 1 is stale",
    );
  });

  it('given a lease past its deadline that nobody swept, when another holder acquires, then it expires first and is granted anew', () => {
    const { state, events } = given(acquire('agent-a', T0), acquire('agent-b', T0 + 10_000));
    expect(events.map((e) => e.type)).toEqual(['lease.acquired', 'lease.expired', 'lease.acquired']);
    expect(events[1]?.data).toEqual(
      expect.objectContaining({ holder: 'agent-a', fencingToken: 1, expiredAt: '2026-11-26T10:00:10.000Z' }),
    );
    expect(state).toEqual({
      status: 'held',
      lease: expect.objectContaining({ holder: 'agent-b', fencingToken: 2 }),
    });
  });

  it('given a live lease, when its holder renews with the matching token, then the deadline moves and the token stays', () => {
    const { state, events } = given(
      acquire('agent-a', T0),
      renew('agent-a', 1, T0 + 4000),
      renew('agent-a', 1, T0 + 8000, 20_000),
    );
    expect(events.map((e) => e.type)).toEqual(['lease.acquired', 'lease.renewed', 'lease.renewed']);
    expect(state).toEqual({
      status: 'held',
      lease: {
        resource,
        holder: 'agent-a',
        fencingToken: 1,
        ttlMs: 20_000,
        acquiredAt: '2026-11-26T10:00:00.000Z',
        renewedAt: '2026-11-26T10:00:08.000Z',
        expiresAt: '2026-11-26T10:00:28.000Z',
      },
    });
  });

  it('refuses to renew or release a lease that is not held', () => {
    expect(() => decide(renew('agent-a', 1, T0), initialState())).toThrow(/not held \(vacant\)/);
    const { state } = given(acquire('agent-a', T0), release('agent-a', 1, T0 + 1000));
    expect(() => decide(release('agent-a', 1, T0 + 2000), state)).toThrow(/not held \(released\)/);
  });

  it('given a live lease, when its holder releases it, then lease.released and the resource is free', () => {
    const { state, events } = given(acquire('agent-a', T0), release('agent-a', 1, T0 + 3000));
    expect(events.map((e) => e.type)).toEqual(['lease.acquired', 'lease.released']);
    expect(state).toEqual({
      status: 'released',
      lease: expect.objectContaining({ holder: 'agent-a' }),
      endedAt: '2026-11-26T10:00:03.000Z',
    });
    expect(decide(acquire('agent-b', T0 + 3001), state).map((e) => e.data)).toEqual([
      expect.objectContaining({ holder: 'agent-b', fencingToken: 2 }),
    ]);
  });

  it('expires a lease once its deadline has passed, exactly once', () => {
    const { state, events } = given(acquire('agent-a', T0), expire(T0 + 10_000), expire(T0 + 10_500));
    expect(events.map((e) => e.type)).toEqual(['lease.acquired', 'lease.expired']);
    expect(state).toEqual({
      status: 'expired',
      lease: expect.objectContaining({ fencingToken: 1 }),
      endedAt: '2026-11-26T10:00:10.000Z',
    });
  });

  it('refuses (no event) to expire a lease before its deadline', () => {
    const { state } = given(acquire('agent-a', T0));
    expect(decide(expire(T0 + 9_999), state)).toEqual([]);
    expect(decide(expire(T0), initialState())).toEqual([]);
  });

  it('refuses (no event) to expire a lease that was renewed after the sweeper saw it due', () => {
    // The sweeper read expiresAt = T0+10s from the projection; the holder renewed at T0+9s.
    const { state } = given(acquire('agent-a', T0), renew('agent-a', 1, T0 + 9_000));
    expect(decide(expire(T0 + 10_000), state)).toEqual([]);
    expect(decide(expire(T0 + 19_000), state).map((e) => e.definition.type)).toEqual(['lease.expired']);
  });

  it('rebuilds the same state from the last event alone as from the whole history', () => {
    const { state, events } = given(
      acquire('a', T0),
      renew('a', 1, T0 + 5),
      release('a', 1, T0 + 6),
      acquire('b', T0 + 7),
      renew('b', 2, T0 + 8),
    );
    const last = events.at(-1);
    expect(last).toBeDefined();
    expect(evolve(initialState(), last as LeaseEvent)).toEqual(state);
    for (let i = 1; i <= events.length; i++) {
      const prefix = events.slice(0, i);
      expect(evolve(initialState(), prefix.at(-1) as LeaseEvent)).toEqual(
        prefix.reduce(evolve, initialState()),
      );
    }
  });
});

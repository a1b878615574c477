import type { EventEnvelope } from '@kailash/contracts';
import { defineEvent, KailashError } from '@kailash/contracts';
import { z } from 'zod';
import type { SpecDraft } from './decider-spec';
import { DeciderSpec } from './decider-spec';

// A counter that may not go above a limit: enough of a decider to hold the spec to its word.
const Incremented = defineEvent('counter.incremented', {
  aggregateType: 'counter',
  data: z.object({ by: z.number() }),
});
const Reset = defineEvent('counter.reset', { aggregateType: 'counter', data: z.object({}) });
type Command = { type: 'Increment'; by: number } | { type: 'Reset' };
const LIMIT = 10;

const counter = {
  initialState: () => 0,
  evolve: (state: number, event: EventEnvelope) =>
    event.type === 'counter.incremented' ? state + (event.data as { by: number }).by : 0,
  decide: (command: Command, state: number): readonly SpecDraft[] => {
    if (command.type === 'Reset')
      return state === 0 ? [] : [{ definition: Reset, aggregateId: 'c', data: {} }];
    if (state + command.by > LIMIT)
      throw new KailashError('CONFLICT', 'over the limit', { limit: LIMIT, current: state });
    return [{ definition: Incremented, aggregateId: 'c', data: { by: command.by } }];
  },
};
const incremented = (by: number) => ({ type: 'counter.incremented', data: { by } });

describe('DeciderSpec', () => {
  it('folds the given events and compares the decided ones', () => {
    DeciderSpec.for(counter)
      .given([incremented(4), incremented(5)])
      .when({ type: 'Increment', by: 1 })
      .then([incremented(1)]);
    DeciderSpec.for(counter)
      .when({ type: 'Increment', by: 10 })
      .then([incremented(10)]);
  });

  it('accepts drafts as given events, and a function for custom assertions', () => {
    const draft: SpecDraft = { definition: Incremented, aggregateId: 'c', data: { by: 10 } };
    DeciderSpec.for(counter).given([draft]).when({ type: 'Increment', by: 1 }).thenThrows('CONFLICT');
    DeciderSpec.for(counter)
      .given([incremented(3)])
      .when({ type: 'Reset' })
      .then((events) => expect(events).toEqual([{ type: 'counter.reset', data: {} }]));
  });

  it('fails when other events are decided, naming both', () => {
    expect(() =>
      DeciderSpec.for(counter)
        .when({ type: 'Increment', by: 2 })
        .then([incremented(3)]),
    ).toThrow(
      /expected: \[ \{ type: 'counter.incremented', data: \{ by: 3 \} \} \]\ndecided: {2}\[ \{ type: 'counter.incremented', data: \{ by: 2 \} \} \]/,
    );
    expect(() => DeciderSpec.for(counter).when({ type: 'Increment', by: 2 }).thenNothing()).toThrow(
      /decided other events/,
    );
  });

  it('thenNothing holds when the command changes nothing', () => {
    DeciderSpec.for(counter).when({ type: 'Reset' }).thenNothing();
  });

  it('thenThrows checks the code and the given details', () => {
    const overLimit = DeciderSpec.for(counter)
      .given([incremented(9)])
      .when({ type: 'Increment', by: 2 });
    overLimit.thenThrows('CONFLICT', { limit: 10 });
    expect(() => overLimit.thenThrows('NOT_FOUND')).toThrow(
      /expected NOT_FOUND, got CONFLICT: over the limit/,
    );
    expect(() => overLimit.thenThrows('CONFLICT', { current: 3 })).toThrow(
      /expected them to include \{ current: 3 \}/,
    );
    expect(() => overLimit.then([])).toThrow(/the command was refused/);
  });

  it('thenThrows fails when the command is accepted', () => {
    expect(() => DeciderSpec.for(counter).when({ type: 'Increment', by: 1 }).thenThrows('CONFLICT')).toThrow(
      /expected a refusal with CONFLICT, but it decided/,
    );
  });

  it('thenThrows fails on an error that is not a KailashError', () => {
    const broken = {
      ...counter,
      decide: (): readonly SpecDraft[] => {
        throw new TypeError('bug');
      },
    };
    expect(() => DeciderSpec.for(broken).when({ type: 'Reset' }).thenThrows('CONFLICT')).toThrow(
      /expected a KailashError CONFLICT, got TypeError: bug/,
    );
  });
});

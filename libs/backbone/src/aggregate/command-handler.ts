import { randomInt } from 'node:crypto';
import type { EventEnvelope } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import { ConcurrencyConflictError } from '../errors';
import type { EventDraft, EventPublisher, PublishedEvent } from '../publishing/event-publisher';
import type { AggregateReader } from './aggregate-reader';

export interface Decider<State, Command, E extends EventEnvelope> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: E) => State;
  /**
   * Pure: the events a command produces in a state, or a KailashError saying why not. JetStream
   * 2.9 has no atomic multi-message append, so a decision should be one event where it can be.
   */
  readonly decide: (command: Command, state: State) => readonly EventDraft[];
}

export interface CommandResult<State> {
  readonly state: State;
  readonly version: number;
  readonly published: readonly PublishedEvent[];
}

/**
 * Load → decide → append with the expected last sequence; on a conflict reload and decide again,
 * so two writers racing on one aggregate never lose an update (DESIGN.md §3).
 */
export async function handleCommand<State, Command, E extends EventEnvelope>(
  deps: { reader: AggregateReader; publisher: EventPublisher; subject: string; maxAttempts?: number },
  decider: Decider<State, Command, E>,
  command: Command,
): Promise<CommandResult<State>> {
  const attempts = deps.maxAttempts ?? 8;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = await deps.reader.load(deps.subject, decider.initialState, decider.evolve);
    // What we append must stamp after what we decided on, even if our clock runs behind the last writer's.
    if (current.lastHlc) deps.publisher.observe(current.lastHlc);
    const drafts = decider.decide(command, current.state);
    try {
      const published = await deps.publisher.publishAll(drafts, { expectedLastSubjectSequence: current.version });
      const state = published.reduce((s, p) => decider.evolve(s, p.event as E), current.state);
      return { state, version: published.at(-1)?.seq ?? current.version, published };
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError)) throw error;
      // Exponential backoff with full jitter, so racing writers spread out instead of colliding again.
      await new Promise((resolve) => setTimeout(resolve, randomInt(0, Math.min(2 ** attempt, 200) + 1)));
    }
  }
  throw new KailashError('CONFLICT', `${deps.subject} kept changing; gave up after ${attempts} attempts`);
}

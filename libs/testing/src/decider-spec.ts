import { isDeepStrictEqual, inspect } from 'node:util';
import type { EventEnvelope } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import { encodeHlc } from '@kailash/hlc';

/**
 * An event a decider decides, as the backbone's EventDraft has it (the shape only: test helpers
 * sit below the backbone).
 */
export interface SpecDraft {
  readonly definition: { readonly type: string; readonly v: number; readonly aggregateType: string };
  readonly aggregateId: string;
  readonly data: unknown;
}

/** The pure core of an aggregate, as the backbone's command handler runs it. */
export interface SpecDecider<State, Command, E extends EventEnvelope> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: E) => State;
  readonly decide: (command: Command, state: State) => readonly SpecDraft[];
}

/** An event as a test writes it: its type and data (a decided draft is accepted as well). */
export type SpecEvent = { readonly type: string; readonly data: unknown } | SpecDraft;

/**
 * Given / when / then for a decider, after emmett's DeciderSpecification: the given events fold
 * into a state through `evolve`, the command is decided on it, and the outcome is compared with
 * what the test expects, as `{type, data}` pairs in order.
 *
 *   DeciderSpec.for(lease).given([acquired]).when(release).then([released]);
 *   DeciderSpec.for(lease).given([]).when(release).thenThrows('NOT_FOUND');
 */
export class DeciderSpec<State, Command, E extends EventEnvelope> {
  private constructor(
    private readonly decider: SpecDecider<State, Command, E>,
    private readonly history: readonly SpecEvent[],
  ) {}

  static for<State, Command, E extends EventEnvelope>(
    decider: SpecDecider<State, Command, E>,
  ): DeciderSpec<State, Command, E> {
    return new DeciderSpec(decider, []);
  }

  given(events: readonly SpecEvent[]): DeciderSpec<State, Command, E> {
    return new DeciderSpec(this.decider, [...this.history, ...events]);
  }

  when(command: Command): DeciderOutcome {
    const state = this.history
      .map(toEnvelope)
      .reduce((s, e) => this.decider.evolve(s, e as E), this.decider.initialState());
    try {
      return new DeciderOutcome({ events: this.decider.decide(command, state).map(typeAndData) });
    } catch (error) {
      return new DeciderOutcome({ error });
    }
  }
}

type Decided = { readonly events: readonly SpecEvent[] } | { readonly error: unknown };

export class DeciderOutcome {
  constructor(private readonly decided: Decided) {}

  /** The command decides exactly these events; a function gets them to assert on itself. */
  then(expected: readonly SpecEvent[] | ((events: readonly SpecEvent[]) => void)): void {
    const events = this.events();
    if (typeof expected === 'function') return expected(events);
    const want = expected.map(typeAndData);
    if (!isDeepStrictEqual(events, want))
      throw new Error(
        `decided other events than expected\nexpected: ${show(want)}\ndecided:  ${show(events)}`,
      );
  }

  /** The command is accepted and changes nothing. */
  thenNothing(): void {
    this.then([]);
  }

  /** The command is refused with this error code (and, when given, details matching these). */
  thenThrows(code: string, details?: Readonly<Record<string, unknown>>): void {
    if ('events' in this.decided)
      throw new Error(`expected a refusal with ${code}, but it decided ${show(this.decided.events)}`);
    const { error } = this.decided;
    if (!(error instanceof KailashError))
      throw new Error(`expected a KailashError ${code}, got ${show(error)}`);
    if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`);
    if (details && !containsAll(error.details, details))
      throw new Error(
        `${code} with details ${show(error.details)}, expected them to include ${show(details)}`,
      );
  }

  private events(): readonly SpecEvent[] {
    if ('error' in this.decided)
      throw new Error(`expected events, but the command was refused: ${show(this.decided.error)}`);
    return this.decided.events;
  }
}

const isDraft = (event: SpecEvent): event is SpecDraft => 'definition' in event;

const typeAndData = (event: SpecEvent) =>
  isDraft(event) ? { type: event.definition.type, data: event.data } : { type: event.type, data: event.data };

/** A full envelope around a test's event, so `evolve` sees what a stored event would give it. */
function toEnvelope(event: SpecEvent, index: number): EventEnvelope {
  const { type, data } = typeAndData(event);
  return {
    id: `given-${index + 1}`,
    type,
    v: isDraft(event) ? event.definition.v : 1,
    aggregate: {
      type: isDraft(event) ? event.definition.aggregateType : (type.split('.')[0] ?? type),
      id: isDraft(event) ? event.aggregateId : 'given',
    },
    hlc: encodeHlc({ wallMs: Date.parse('2026-01-01T00:00:00.000Z') + index, logical: 0, nodeId: 'given' }),
    source: { service: 'decider-spec', instance: 'given' },
    data,
  };
}

function containsAll(actual: unknown, expected: Readonly<Record<string, unknown>>): boolean {
  if (typeof actual !== 'object' || actual === null) return false;
  return Object.entries(expected).every(([key, value]) =>
    isDeepStrictEqual((actual as Record<string, unknown>)[key], value),
  );
}

const show = (value: unknown) => inspect(value, { depth: 6, breakLength: Infinity });

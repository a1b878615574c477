import type { Command, CommandOp, SessionStamp } from '../commands';
import type { Applied, StateMachineOptions } from '../state-machine';
import { CoordinationStateMachine } from '../state-machine';
import type { OkResult, Response } from '../responses';

export const T0 = Date.parse('2026-12-01T10:00:00.000Z');

type OkResponse<Op extends CommandOp> = { ok: true; op: Op; revision: number } & OkResult<Op>;
type RefusedResponse = Extract<Response, { ok: false }>;

/**
 * Given / when / then over one state machine: entries get consecutive Raft indexes, and the leader
 * time is T0 plus whatever `at` last set (time moves only when a test says so).
 */
export class Scenario {
  readonly applied: Applied[] = [];
  readonly machine: CoordinationStateMachine;
  private index = 0;
  now = T0;

  constructor(options: StateMachineOptions = {}) {
    this.machine = new CoordinationStateMachine({ ...options, onApplied: (a) => this.applied.push(a) });
  }

  get state() {
    return this.machine.state;
  }

  /** Leader time T0 + ms for the next entries. */
  at(ms: number): this {
    this.now = T0 + ms;
    return this;
  }

  run(command: Command, session?: SessionStamp): Applied {
    this.index += 1;
    return this.machine.apply(this.index, { now: this.now, command, ...(session ? { session } : {}) });
  }

  /** Applies and expects success; returns the typed answer. */
  ok<C extends Command>(command: C, session?: SessionStamp): OkResponse<C['op']> {
    const { response } = this.run(command, session);
    if (!response.ok) throw new Error(`expected ${command.op} to succeed: ${JSON.stringify(response.error)}`);
    return response as unknown as OkResponse<C['op']>;
  }

  /** Applies and expects a refusal; returns it. */
  refused(command: Command, session?: SessionStamp): RefusedResponse {
    const { response } = this.run(command, session);
    if (response.ok) throw new Error(`expected ${command.op} to be refused, got ${JSON.stringify(response)}`);
    return response as RefusedResponse;
  }

  skip(): void {
    this.index += 1;
    this.machine.skip(this.index);
  }

  /** A lease granted now, returning its id. */
  lease(ttlMs = 10_000): number {
    return this.ok({ op: 'lease.grant', ttlMs }).lease.id;
  }
}

import type { EventDraft } from '@kailash/backbone';
import type {
  EdgeEvent,
  EdgeLifecycle,
  EdgeRegistration,
  EdgeSnapshot,
  EdgeUpdate,
} from '@kailash/contracts';
import {
  canTransition,
  EDGE_TRANSITIONS,
  edgeAfter,
  EdgeDeregistered,
  EdgeLifecycleChanged,
  EdgeRegistered,
  EdgeUpdated,
  KailashError,
  notFound,
  registeredEdge,
  transitionedEdge,
  updatedEdge,
} from '@kailash/contracts';
// ── State ────────────────────────────────────────────────────────────────────

export interface EdgeDetails extends Omit<EdgeRegistration, 'edgeId' | 'endpoint'> {
  readonly edgeId: string;
  readonly endpoint: string | null;
  readonly registeredAt: string;
}

export type EdgeState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'registered';
      readonly edge: EdgeDetails;
      readonly lifecycle: EdgeLifecycle;
      readonly updatedAt: string;
    };

export type RegisteredEdge = Extract<EdgeState, { status: 'registered' }>;

export const initialState = (): EdgeState => ({ status: 'unregistered' });

// ── Commands ─────────────────────────────────────────────────────────────────

interface CommandMeta {
  readonly edgeId: string;
  readonly now: string;
  readonly correlationId?: string;
}

export type EdgeCommand =
  | (CommandMeta & { readonly type: 'RegisterEdge'; readonly data: EdgeRegistration })
  | (CommandMeta & { readonly type: 'UpdateEdge'; readonly changes: EdgeUpdate })
  | (CommandMeta & {
      readonly type: 'TransitionEdge';
      readonly to: EdgeLifecycle;
      readonly reason: string;
      readonly actor: string;
    })
  | (CommandMeta & { readonly type: 'DeregisterEdge'; readonly reason: string; readonly actor: string });

// ── Decide ───────────────────────────────────────────────────────────────────
// Every event carries the edge as it is after the change, so other services can keep the fleet
// from the events alone.

export function decide(command: EdgeCommand, state: EdgeState): readonly EventDraft[] {
  if (command.type === 'RegisterEdge') return register(command, state);
  const current = snapshotOf(requireLive(command.edgeId, state));
  const { edgeId, now: at } = command;
  switch (command.type) {
    case 'UpdateEdge': {
      const { changes } = command;
      return [draft(command, EdgeUpdated, { edgeId, changes, at, edge: updatedEdge(current, changes, at) })];
    }
    case 'TransitionEdge':
      return transition(command, current);
    case 'DeregisterEdge': {
      const { reason, actor } = command;
      const edge = transitionedEdge(current, 'terminated', at);
      return [draft(command, EdgeDeregistered, { edgeId, from: current.lifecycle, reason, actor, at, edge })];
    }
  }
}

function register(
  command: Extract<EdgeCommand, { type: 'RegisterEdge' }>,
  state: EdgeState,
): readonly EventDraft[] {
  if (state.status !== 'unregistered') {
    throw new KailashError('CONFLICT', `edge '${command.edgeId}' is already registered`, {
      edgeId: command.edgeId,
    });
  }
  const { edgeId, now: registeredAt } = command;
  return [
    draft(command, EdgeRegistered, {
      edgeId,
      registeredAt,
      edge: registeredEdge({ ...command.data, edgeId, registeredAt }),
    }),
  ];
}

function transition(
  command: Extract<EdgeCommand, { type: 'TransitionEdge' }>,
  current: EdgeSnapshot,
): readonly EventDraft[] {
  const from = current.lifecycle;
  if (!canTransition(from, command.to)) {
    const allowed = EDGE_TRANSITIONS[from];
    throw new KailashError(
      'INVALID_TRANSITION',
      `edge '${command.edgeId}' cannot go from ${from} to ${command.to}; allowed from ${from}: ${allowed.join(', ') || 'none'}`,
      { edgeId: command.edgeId, from, to: command.to, allowed },
    );
  }
  const { edgeId, reason, actor, to, now: at } = command;
  return [
    draft(command, EdgeLifecycleChanged, {
      edgeId,
      from,
      to,
      reason,
      actor,
      at,
      edge: transitionedEdge(current, to, at),
    }),
  ];
}

/** Everything but registration needs an edge that exists and has not been terminated. */
function requireLive(edgeId: string, state: EdgeState): RegisteredEdge {
  if (state.status !== 'registered') throw notFound('edge', edgeId);
  if (state.lifecycle === 'terminated') {
    throw new KailashError('INVALID_TRANSITION', `edge '${edgeId}' is terminated; it can no longer change`, {
      edgeId,
      from: 'terminated',
      allowed: [],
    });
  }
  return state;
}

function draft(command: EdgeCommand, definition: EventDraft['definition'], data: unknown): EventDraft {
  return {
    definition,
    aggregateId: command.edgeId,
    data: data as EventDraft['data'],
    ...(command.correlationId ? { correlationId: command.correlationId } : {}),
  };
}

// ── Evolve ───────────────────────────────────────────────────────────────────

/** One fold for every version of every edge event, the same one other services' fleet views use. */
export function evolve(state: EdgeState, event: EdgeEvent): EdgeState {
  const after = edgeAfter(state.status === 'registered' ? snapshotOf(state) : undefined, event);
  return after ? stateOf(after) : state;
}

function snapshotOf(state: RegisteredEdge): EdgeSnapshot {
  return { ...state.edge, lifecycle: state.lifecycle, updatedAt: state.updatedAt };
}

function stateOf(snapshot: EdgeSnapshot): RegisteredEdge {
  const { lifecycle, updatedAt, ...edge } = snapshot;
  return { status: 'registered', edge, lifecycle, updatedAt };
}

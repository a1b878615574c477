import type { EventDraft } from '@kailash/backbone';
import type { EdgeEvent, EdgeLifecycle, EdgeRegistration, EdgeUpdate } from '@kailash/contracts';
import {
  canTransition,
  EDGE_TRANSITIONS,
  EdgeDeregistered,
  EdgeLifecycleChanged,
  EdgeRegistered,
  EdgeUpdated,
  KailashError,
  notFound,
} from '@kailash/contracts';

// ── State ────────────────────────────────────────────────────────────────────

export interface EdgeDetails extends Omit<EdgeRegistration, 'edgeId' | 'endpoint'> {
  readonly edgeId: string;
  readonly endpoint: string | null;
  readonly registeredAt: string;
}

export type EdgeState =
  | { readonly status: 'unregistered' }
  | { readonly status: 'registered'; readonly edge: EdgeDetails; readonly lifecycle: EdgeLifecycle; readonly updatedAt: string };

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
  | (CommandMeta & { readonly type: 'TransitionEdge'; readonly to: EdgeLifecycle; readonly reason: string; readonly actor: string })
  | (CommandMeta & { readonly type: 'DeregisterEdge'; readonly reason: string; readonly actor: string });

// ── Decide ───────────────────────────────────────────────────────────────────

export function decide(command: EdgeCommand, state: EdgeState): readonly EventDraft[] {
  if (command.type === 'RegisterEdge') return register(command, state);
  const edge = requireLive(command.edgeId, state);
  switch (command.type) {
    case 'UpdateEdge':
      return [draft(command, EdgeUpdated, { edgeId: command.edgeId, changes: command.changes, at: command.now })];
    case 'TransitionEdge':
      return transition(command, edge);
    case 'DeregisterEdge': {
      const { reason, actor } = command;
      return [draft(command, EdgeDeregistered, { edgeId: command.edgeId, from: edge.lifecycle, reason, actor, at: command.now })];
    }
  }
}

function register(command: Extract<EdgeCommand, { type: 'RegisterEdge' }>, state: EdgeState): readonly EventDraft[] {
  if (state.status !== 'unregistered') {
    throw new KailashError('CONFLICT', `edge '${command.edgeId}' is already registered`, { edgeId: command.edgeId });
  }
  return [draft(command, EdgeRegistered, { ...command.data, edgeId: command.edgeId, registeredAt: command.now })];
}

function transition(command: Extract<EdgeCommand, { type: 'TransitionEdge' }>, edge: RegisteredEdge): readonly EventDraft[] {
  const from = edge.lifecycle;
  if (!canTransition(from, command.to)) {
    const allowed = EDGE_TRANSITIONS[from];
    throw new KailashError(
      'INVALID_TRANSITION',
      `edge '${command.edgeId}' cannot go from ${from} to ${command.to}; allowed from ${from}: ${allowed.join(', ') || 'none'}`,
      { edgeId: command.edgeId, from, to: command.to, allowed },
    );
  }
  const { reason, actor, to } = command;
  return [draft(command, EdgeLifecycleChanged, { edgeId: command.edgeId, from, to, reason, actor, at: command.now })];
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

export function evolve(state: EdgeState, event: EdgeEvent): EdgeState {
  if (event.type === 'edge.registered') {
    const { endpoint, ...rest } = event.data;
    return { status: 'registered', edge: { ...rest, endpoint: endpoint ?? null }, lifecycle: 'initialized', updatedAt: rest.registeredAt };
  }
  if (state.status !== 'registered') return state;
  switch (event.type) {
    case 'edge.updated': {
      const { endpoint, ...changes } = event.data.changes;
      const edge = { ...state.edge, ...changes, ...(endpoint === undefined ? {} : { endpoint }) };
      return { ...state, edge, updatedAt: event.data.at };
    }
    case 'edge.lifecycle-changed':
      return { ...state, lifecycle: event.data.to, updatedAt: event.data.at };
    case 'edge.deregistered':
      return { ...state, lifecycle: 'terminated', updatedAt: event.data.at };
  }
}

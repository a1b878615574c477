import type { EventDraft } from '@kailash/backbone';
import type { EdgeEvent, EdgeLifecycle, EdgeRegistration } from '@kailash/contracts';
import { EdgeRegistered, KailashError } from '@kailash/contracts';

// ── State ────────────────────────────────────────────────────────────────────

export interface EdgeDetails extends Omit<EdgeRegistration, 'edgeId' | 'endpoint'> {
  readonly edgeId: string;
  readonly endpoint: string | null;
  readonly registeredAt: string;
}

export type EdgeState =
  | { readonly status: 'unregistered' }
  | { readonly status: 'registered'; readonly edge: EdgeDetails; readonly lifecycle: EdgeLifecycle; readonly updatedAt: string };

export const initialState = (): EdgeState => ({ status: 'unregistered' });

// ── Commands ─────────────────────────────────────────────────────────────────

export type EdgeCommand = {
  readonly type: 'RegisterEdge';
  readonly data: EdgeRegistration & { readonly edgeId: string };
  readonly now: string;
  readonly correlationId?: string;
};

// ── Decide ───────────────────────────────────────────────────────────────────

export function decide(command: EdgeCommand, state: EdgeState): readonly EventDraft[] {
  switch (command.type) {
    case 'RegisterEdge': {
      if (state.status !== 'unregistered') {
        throw new KailashError('CONFLICT', `edge '${command.data.edgeId}' is already registered`, { edgeId: command.data.edgeId });
      }
      return [
        {
          definition: EdgeRegistered,
          aggregateId: command.data.edgeId,
          data: { ...command.data, registeredAt: command.now },
          ...(command.correlationId ? { correlationId: command.correlationId } : {}),
        },
      ];
    }
  }
}

// ── Evolve ───────────────────────────────────────────────────────────────────

export function evolve(state: EdgeState, event: EdgeEvent): EdgeState {
  switch (event.type) {
    case 'edge.registered': {
      const { endpoint, ...rest } = event.data;
      return {
        status: 'registered',
        edge: { ...rest, endpoint: endpoint ?? null },
        lifecycle: 'initialized',
        updatedAt: event.data.registeredAt,
      };
    }
    default:
      return state;
  }
}

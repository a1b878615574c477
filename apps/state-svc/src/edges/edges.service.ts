import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AggregateStore, SqlDatabase } from '@kailash/backbone';
import type {
  DiscoveredEdge,
  EdgeDiscoveryQuery,
  EdgeEvent,
  EdgeLifecycle,
  EdgeRegistration,
  EdgeTransitionRecord,
  EdgeUpdate,
  EdgeView,
} from '@kailash/contracts';
import { EDGE_AGGREGATE, notFound } from '@kailash/contracts';
import { AggregateStores, SQL_DATABASE } from '@kailash/service-kit';
import type { EdgeCommand, EdgeState } from './edge';
import { decide, evolve, initialState } from './edge';
import { EdgesNearbyIndex } from './edges-nearby.port';
import { discoverEdges, findEdge, findEdgeSnapshot, findTransitions, stateToView } from './edges.read-model';

export type FenceCheck = (edgeId: string, fencingToken: number) => Promise<void>;

/** The edge use cases, shared by the REST controller, the NATS handlers and other slices. */
@Injectable()
export class EdgesService {
  private readonly edges: AggregateStore<EdgeState, EdgeCommand, EdgeEvent>;
  private fence: FenceCheck | undefined;

  constructor(
    stores: AggregateStores,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly nearby: EdgesNearbyIndex,
  ) {
    this.edges = stores.create<EdgeState, EdgeCommand, EdgeEvent>({
      type: EDGE_AGGREGATE,
      initialState,
      evolve,
      decide,
      // The edges row is a fold of the same evolve: start there and replay only what it lacks.
      load: { kind: 'replay', snapshotOf: (edgeId) => findEdgeSnapshot(db, edgeId) },
    });
  }

  register(registration: EdgeRegistration, correlationId?: string): Promise<EdgeView> {
    const edgeId = registration.edgeId ?? `edge-${randomUUID()}`;
    return this.execute({ type: 'RegisterEdge', data: registration, ...meta(edgeId, correlationId) });
  }

  update(edgeId: string, changes: EdgeUpdate, correlationId?: string): Promise<EdgeView> {
    return this.execute({ type: 'UpdateEdge', changes, ...meta(edgeId, correlationId) });
  }

  /** Set by the leases slice (it depends on this one, not the other way round). */
  fenceTransitionsWith(check: FenceCheck): void {
    this.fence = check;
  }

  /**
   * Moves an edge along its lifecycle; INVALID_TRANSITION names the transitions allowed. With a
   * fencing token (an edge agent's own transitions) it is refused, CONFLICT `stale-token` /
   * `not-held` / `expired`, unless that grant of the lease `edge:<edgeId>` is live: an agent that
   * was paused while its lease moved on cannot move its edge any more.
   */
  async transition(
    edgeId: string,
    to: EdgeLifecycle,
    reason: string,
    actor: string,
    correlationId?: string,
    fencingToken?: number,
  ): Promise<EdgeView> {
    if (fencingToken !== undefined) {
      if (!this.fence) throw new Error('fenced transitions need the leases slice');
      await this.fence(edgeId, fencingToken);
    }
    return this.execute({ type: 'TransitionEdge', to, reason, actor, ...meta(edgeId, correlationId) });
  }

  deregister(edgeId: string, reason: string, actor: string, correlationId?: string): Promise<EdgeView> {
    return this.execute({ type: 'DeregisterEdge', reason, actor, ...meta(edgeId, correlationId) });
  }

  async get(edgeId: string): Promise<EdgeView> {
    const edge = await findEdge(this.db, edgeId);
    if (!edge) throw notFound('edge', edgeId);
    return edge;
  }

  async history(edgeId: string): Promise<{ edgeId: string; transitions: EdgeTransitionRecord[] }> {
    await this.get(edgeId);
    return { edgeId, transitions: await findTransitions(this.db, edgeId) };
  }

  /**
   * A radius query takes its candidates from the spatial index when one is plugged in; if the index
   * cannot answer (its first load failed), the SQL distance over every edge still does.
   */
  async discover(query: EdgeDiscoveryQuery): Promise<{ edges: DiscoveredEdge[]; total: number }> {
    const nearby =
      query.near && query.radiusKm !== undefined
        ? await this.nearby.candidates(query.near, query.radiusKm)?.catch(() => undefined)
        : undefined;
    return discoverEdges(this.db, query, nearby);
  }

  private async execute(command: EdgeCommand): Promise<EdgeView> {
    const result = await this.edges.handle(command.edgeId, command);
    return stateToView(result.state, result.version) as EdgeView;
  }
}

const meta = (edgeId: string, correlationId?: string) => ({
  edgeId,
  now: new Date().toISOString(),
  ...(correlationId ? { correlationId } : {}),
});

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { AggregateReader, EventPublisher, handleCommand } from '@kailash/backbone';
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
import { EDGE_AGGREGATE, notFound, stateEventCatalog, STATE_DOMAIN, SubjectSpace } from '@kailash/contracts';
import { JETSTREAM, JETSTREAM_MANAGER, SQL_DATABASE, SUBJECTS } from '@kailash/service-kit';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { EdgeCommand, EdgeState } from './edge';
import { decide, evolve, initialState } from './edge';
import { discoverEdges, findEdge, findEdgeSnapshot, findTransitions, stateToView } from './edges.read-model';

/** The edge use cases, shared by the REST controller, the NATS handlers and other slices. */
@Injectable()
export class EdgesService {
  private readonly reader: AggregateReader;

  constructor(
    private readonly publisher: EventPublisher,
    @Inject(SUBJECTS) private readonly subjects: SubjectSpace,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(JETSTREAM) js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) jsm: JetStreamManager,
  ) {
    // The edges row is a fold of the same evolve: start there and replay only what it lacks.
    this.reader = new AggregateReader(js, jsm, subjects.stream(STATE_DOMAIN), stateEventCatalog, {
      snapshotOf: (subject) => findEdgeSnapshot(db, subject.slice(subject.lastIndexOf('.') + 1)),
    });
  }

  register(registration: EdgeRegistration, correlationId?: string): Promise<EdgeView> {
    const edgeId = registration.edgeId ?? `edge-${randomUUID()}`;
    return this.execute({ type: 'RegisterEdge', data: registration, ...meta(edgeId, correlationId) });
  }

  update(edgeId: string, changes: EdgeUpdate, correlationId?: string): Promise<EdgeView> {
    return this.execute({ type: 'UpdateEdge', changes, ...meta(edgeId, correlationId) });
  }

  /** Moves an edge along its lifecycle; INVALID_TRANSITION names the transitions allowed. */
  transition(edgeId: string, to: EdgeLifecycle, reason: string, actor: string, correlationId?: string): Promise<EdgeView> {
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

  discover(query: EdgeDiscoveryQuery): Promise<{ edges: DiscoveredEdge[]; total: number }> {
    return discoverEdges(this.db, query);
  }

  private async execute(command: EdgeCommand): Promise<EdgeView> {
    const { edgeId } = command;
    const result = await handleCommand<EdgeState, EdgeCommand, EdgeEvent>(
      { reader: this.reader, publisher: this.publisher, subject: this.subjects.event(STATE_DOMAIN, EDGE_AGGREGATE, edgeId) },
      { initialState, evolve, decide },
      command,
    );
    return stateToView(result.state, result.version) as EdgeView;
  }
}

const meta = (edgeId: string, correlationId?: string) => ({
  edgeId,
  now: new Date().toISOString(),
  ...(correlationId ? { correlationId } : {}),
});

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { AggregateReader, EventPublisher, handleCommand } from '@kailash/backbone';
import type { EdgeEvent, EdgeRegistration, EdgeView } from '@kailash/contracts';
import { EDGE_AGGREGATE, notFound, stateEventCatalog, STATE_DOMAIN, SubjectSpace } from '@kailash/contracts';
import { JETSTREAM, JETSTREAM_MANAGER, SQL_DATABASE, SUBJECTS } from '@kailash/service-kit';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { EdgeCommand, EdgeState } from './edge';
import { decide, evolve, initialState } from './edge';
import { findEdge, stateToView } from './edges.read-model';

/** The edge use cases, shared by the REST controller and the NATS handlers. */
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
    this.reader = new AggregateReader(js, jsm, subjects.stream(STATE_DOMAIN), stateEventCatalog);
  }

  async register(registration: EdgeRegistration, correlationId?: string): Promise<EdgeView> {
    const edgeId = registration.edgeId ?? `edge-${randomUUID()}`;
    const command: EdgeCommand = {
      type: 'RegisterEdge',
      data: { ...registration, edgeId },
      now: new Date().toISOString(),
      ...(correlationId ? { correlationId } : {}),
    };
    const result = await handleCommand<EdgeState, EdgeCommand, EdgeEvent>(
      { reader: this.reader, publisher: this.publisher, subject: this.subjects.event(STATE_DOMAIN, EDGE_AGGREGATE, edgeId) },
      { initialState, evolve, decide },
      command,
    );
    return stateToView(result.state, result.version) as EdgeView;
  }

  async get(edgeId: string): Promise<EdgeView> {
    const edge = await findEdge(this.db, edgeId);
    if (!edge) throw notFound('edge', edgeId);
    return edge;
  }
}

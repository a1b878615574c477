import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { RequestServer } from '@kailash/backbone';
import { DeregisterEdge, GetEdge, GetEdgeHistory, ListEdges, RegisterEdge, TransitionEdge, UpdateEdge } from '@kailash/contracts';
import { EdgesService } from './edges.service';

const NATS_ACTOR = 'nats';

/** The edge use cases over NATS request/reply: `<ns>.state.cmd.edge.*` and `<ns>.state.qry.edge.*`. */
@Injectable()
export class EdgesHandlers implements OnModuleInit {
  constructor(
    private readonly requests: RequestServer,
    private readonly edges: EdgesService,
  ) {}

  onModuleInit(): void {
    const { requests, edges } = this;
    requests.handle(RegisterEdge, (data, request) => edges.register(data, request.correlationId));
    requests.handle(UpdateEdge, (data, request) => edges.update(data.edgeId, data.changes, request.correlationId));
    requests.handle(TransitionEdge, (data, request) =>
      edges.transition(data.edgeId, data.to, data.reason, data.actor ?? request.actor ?? NATS_ACTOR, request.correlationId),
    );
    requests.handle(DeregisterEdge, (data, request) =>
      edges.deregister(data.edgeId, data.reason, data.actor ?? request.actor ?? NATS_ACTOR, request.correlationId),
    );
    requests.handle(GetEdge, (data) => edges.get(data.edgeId));
    requests.handle(GetEdgeHistory, (data) => edges.history(data.edgeId));
    requests.handle(ListEdges, (data) => edges.discover(data));
  }
}

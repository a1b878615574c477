import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { RequestServer } from '@kailash/backbone';
import { GetEdge, RegisterEdge } from '@kailash/contracts';
import { EdgesService } from './edges.service';

/** The same edge use cases over NATS request/reply: `<ns>.state.cmd.edge.register`, `.qry.edge.get`. */
@Injectable()
export class EdgesHandlers implements OnModuleInit {
  constructor(
    private readonly requests: RequestServer,
    private readonly edges: EdgesService,
  ) {}

  onModuleInit(): void {
    this.requests.handle(RegisterEdge, (data, request) => this.edges.register(data, request.correlationId));
    this.requests.handle(GetEdge, (data) => this.edges.get(data.edgeId));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { SQL_DATABASE } from '@kailash/service-kit';
import type { FleetEdge, FleetFilter } from './fleet-rows';
import { findFleetEdge, selectFleetEdges } from './fleet-rows';

/** The read port of the fleet view: what a service asks about edges, from its own database. */
@Injectable()
export class FleetReader {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  /** The edge, terminated ones included (their record is kept); undefined if never seen. */
  get(edgeId: string): Promise<FleetEdge | undefined> {
    return findFleetEdge(this.db, edgeId);
  }

  /** Edges matching every given filter, by id. */
  list(filter: FleetFilter = {}): Promise<FleetEdge[]> {
    return selectFleetEdges(this.db, filter);
  }

  /** Edges taking work now (lifecycle active), optionally narrowed further. */
  active(filter: Omit<FleetFilter, 'lifecycle'> = {}): Promise<FleetEdge[]> {
    return selectFleetEdges(this.db, { ...filter, lifecycle: 'active' });
  }
}

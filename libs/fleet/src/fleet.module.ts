import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Module } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { EDGE_AGGREGATE, STATE_DOMAIN } from '@kailash/contracts';
import type { RebuildTarget, ServiceConfig, ServiceFeature } from '@kailash/service-kit';
import { ProjectionHost, SERVICE_CONFIG, SQL_DATABASE } from '@kailash/service-kit';
import { fleetMigrations } from './fleet-edges.migration';
import { fleetProjection } from './fleet.projection';
import { FleetReader } from './fleet.reader';

/** One projection per consuming service on the shared STATE stream: named after the service. */
export const fleetProjectionName = (service: string): string =>
  `${service.replace(/[^A-Za-z0-9_-]/g, '_')}-fleet`;

@Injectable()
class FleetProjectionRegistration implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionHost,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  async onModuleInit(): Promise<void> {
    const [table] = await this.db.query<{ found: string | null }>(
      `SELECT to_regclass('fleet_edges')::text AS found`,
    );
    if (!table?.found) {
      throw new Error(
        'fleet_edges does not exist: mount the fleet through ServiceKitModule.forRoot({ features: [FleetModule.forRoot()] }) so its migration runs',
      );
    }
    this.projections.register({
      projection: fleetProjection(fleetProjectionName(this.config.service)),
      domain: STATE_DOMAIN,
      aggregateType: EDGE_AGGREGATE,
    });
  }
}

/**
 * The fleet (every edge: where, zones, capacity, cost, lifecycle) in the consuming service's own
 * database, kept from the STATE domain's edge events alone. Mounted with one line:
 * `ServiceKitModule.forRoot({ …, features: [FleetModule.forRoot()] })`; inject FleetReader to read it.
 */
@Module({})
export class FleetModule {
  static forRoot(): ServiceFeature {
    return {
      module: FleetModule,
      global: true,
      providers: [FleetReader, FleetProjectionRegistration],
      exports: [FleetReader],
      migrations: fleetMigrations,
    };
  }
}

/** What `runProjectionRebuild` needs to replay the fleet view of a service from the STATE stream. */
export function fleetRebuildTarget(service: string): RebuildTarget {
  return { projection: fleetProjection(fleetProjectionName(service)), domain: STATE_DOMAIN };
}

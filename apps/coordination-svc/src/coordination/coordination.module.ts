import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { ServiceConfig } from '@kailash/service-kit';
import { replicaSettings } from '../config';
import { Coordinator } from '../raft/coordinator';
import { CoordinationMachine } from '../state/coordination-machine';
import { ClusterController } from './cluster.controller';
import { CoordEvents } from './coord-events';
import { CoordMetrics } from './coord.metrics';
import { CommandsController } from './commands.controller';
import { CoordService } from './coord.service';
import { LeaderRequests } from './leader-requests';
import { QueriesController } from './queries.controller';
import { RaftReadiness } from './raft-readiness';
import { ReplicaHost } from './replica-host';
import { REPLICA_SETTINGS, STATE_MACHINE } from './tokens';

/** The replica, its API and its readiness probe. */
@Module({})
export class CoordinationModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: CoordinationModule,
      controllers: [CommandsController, QueriesController, ClusterController],
      providers: [
        { provide: REPLICA_SETTINGS, useValue: replicaSettings(config) },
        { provide: STATE_MACHINE, useFactory: () => new CoordinationMachine() },
        CoordMetrics,
        CoordEvents,
        ReplicaHost,
        { provide: Coordinator, inject: [ReplicaHost], useFactory: (host: ReplicaHost) => host.coordinator },
        CoordService,
        LeaderRequests,
        RaftReadiness,
      ],
    };
  }
}

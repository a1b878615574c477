import type { DynamicModule } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { READINESS_PROBES } from '@kailash/service-kit';
import type { ServiceConfig } from '@kailash/service-kit';
import { replicaSettings } from '../config';
import { Coordinator } from '../raft/coordinator';
import { CoordinationMachine } from '../state/coordination-machine';
import { ClusterController } from './cluster.controller';
import { CoordEvents } from './coord-events';
import { CoordMetrics } from './coord.metrics';
import { CommandsController } from './commands.controller';
import { CoordService } from './coord.service';
import { QueriesController } from './queries.controller';
import { ReplicaHost } from './replica-host';
import { REPLICA_SETTINGS, STATE_MACHINE } from './tokens';

/** The replica, its API and its readiness (global: the service kit's health check reads the probe). */
@Global()
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
        {
          provide: READINESS_PROBES,
          inject: [ReplicaHost],
          useFactory: (host: ReplicaHost) => [
            {
              name: 'raft',
              probe: async () =>
                host.replica.isReady()
                  ? ({ up: true } as const)
                  : ({
                      up: false,
                      message:
                        host.replica.leader() === 0
                          ? 'no leader known'
                          : 'still applying entries committed before it started',
                    } as const),
            },
          ],
        },
      ],
      exports: [READINESS_PROBES],
    };
  }
}

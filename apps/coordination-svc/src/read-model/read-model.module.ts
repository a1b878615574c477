import type { DynamicModule } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { EXTRA_REPLICA_OBSERVER } from '../raft/replica-observer';
import { HistoryController } from './history.controller';
import { HistoryQueries } from './history-queries';
import { ReadModelProjector } from './read-model.projector';

/**
 * The replica's history in its own PostgreSQL database. Global only to hand the replica host its
 * projector as the extra observer of applied entries (EXTRA_REPLICA_OBSERVER).
 */
@Global()
@Module({})
export class ReadModelModule {
  static forRoot(): DynamicModule {
    return {
      module: ReadModelModule,
      controllers: [HistoryController],
      providers: [
        ReadModelProjector,
        { provide: EXTRA_REPLICA_OBSERVER, useExisting: ReadModelProjector },
        HistoryQueries,
      ],
      exports: [EXTRA_REPLICA_OBSERVER],
    };
  }
}

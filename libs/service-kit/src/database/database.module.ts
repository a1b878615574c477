import type { DynamicModule } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { PgDatabase } from '@kailash/backbone';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions, MixedList } from 'typeorm';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { DATABASE_HEALTH, SERVICE_CONFIG, SQL_DATABASE } from '../config/tokens';
import type { ServiceConfig } from '../config/service-config';
import { databaseUrlOf } from '../config/service-config';
import { CreateProjectionCheckpoints1764100000000 } from './checkpoints.migration';
import { createDatabaseIfMissing } from './create-database';
import { DatabaseHealth } from './database.health';

export interface DatabaseOptions {
  readonly migrations: MigrationList;
  readonly entities?: EntityList;
}

/** TypeORM's own types for migration and entity classes, as its data source options take them. */
export type MigrationList = NonNullable<DataSourceOptions['migrations']>;
export type EntityList = NonNullable<DataSourceOptions['entities']>;

/**
 * TypeORM on the service's own database: created if missing, migrated at boot, never synchronised.
 * Projections and read models reach it through SQL_DATABASE (the same pool).
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: SQL_DATABASE,
          inject: [getDataSourceToken()],
          useFactory: (dataSource: DataSource) =>
            new PgDatabase((dataSource.driver as PostgresDriver).master),
        },
        { provide: DATABASE_HEALTH, useClass: DatabaseHealth },
      ],
      exports: [SQL_DATABASE, DATABASE_HEALTH],
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [SERVICE_CONFIG],
          useFactory: async (config: ServiceConfig) => {
            const url = databaseUrlOf(config);
            await createDatabaseIfMissing(url);
            return {
              type: 'postgres' as const,
              url,
              entities: options.entities ?? [],
              migrations: [CreateProjectionCheckpoints1764100000000, ...toArray(options.migrations)],
              // Run below, under a lock: TypeORM itself does not stop two replicas migrating at once.
              migrationsRun: false,
              migrationsTransactionMode: 'each' as const,
              synchronize: false,
              // keepAlive: a projector cut off from PostgreSQL must lose its advisory lock in minutes, not hours.
              extra: { max: 10, keepAlive: true },
            };
          },
          dataSourceFactory: async (dataSourceOptions?: DataSourceOptions) => {
            if (!dataSourceOptions) throw new Error('TypeORM options missing');
            const dataSource = await new DataSource(dataSourceOptions).initialize();
            await migrateUnderLock(dataSource);
            return dataSource;
          },
        }),
      ],
    };
  }
}

function toArray<T>(list: MixedList<T>): T[] {
  return Array.isArray(list) ? list : Object.values(list as Record<string, T>);
}

// Advisory lock key (class, object) reserved for schema migrations of a service's database.
const MIGRATION_LOCK = [7412, 0] as const;

/** Replicas booting together take turns: the first migrates, the others then find nothing to do. */
async function migrateUnderLock(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

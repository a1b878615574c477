import { MONITOR_DOMAIN } from '@kailash/contracts';
import type { ServiceCluster, ServiceClusterOptions } from '@kailash/service-kit/testing';
import { nestServiceBoot, startServiceCluster } from '@kailash/service-kit/testing';
import { Pool } from 'pg';
import { AppModule } from '../src/app.module';
import { loadMonitorConfig } from '../src/config';

/** PostgreSQL's code for a table that does not exist (yet: no instance has migrated). */
const UNDEFINED_TABLE = '42P01';

export type MonitorCluster = ServiceCluster & {
  /** A pool on the cluster's database, for what a test reads behind the service's back. */
  readonly db: Pool;
  /**
   * The number `sql` selects as `n`; 0 while its table does not exist yet, since a test may ask
   * before the first instance has run its migrations. Any other failure is thrown.
   */
  count(sql: string): Promise<number>;
};

/**
 * monitor-svc instances on one namespace and database (`startServiceCluster`): in-process, or the
 * built app as processes (`start({ as: 'process' })`) that a test may kill -9. Wall time unless a
 * clock is given. `close()` also ends the pool.
 */
export async function startMonitorCluster(
  options: Partial<Omit<ServiceClusterOptions, 'service' | 'domain' | 'app' | 'boot'>> = {},
): Promise<MonitorCluster> {
  const cluster = await startServiceCluster({
    service: 'monitor',
    domain: MONITOR_DOMAIN,
    app: 'monitor-svc',
    boot: nestServiceBoot({
      loadConfig: loadMonitorConfig,
      appModule: (config) => AppModule.forRoot(config),
    }),
    clock: false,
    ...options,
  });
  const db = new Pool({ connectionString: cluster.databaseUrl, max: 2 });
  let ended: Promise<void> | undefined;
  const closeCluster = cluster.close;
  const count = async (sql: string) => {
    try {
      return Number((await db.query<{ n: string | number }>(sql)).rows[0]?.n ?? 0);
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return 0;
      throw error;
    }
  };
  return Object.assign(cluster, {
    db,
    count,
    close: async () => {
      await (ended ??= db.end());
      await closeCluster();
    },
  });
}

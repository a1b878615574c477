import { alertsMigrations } from '../alerts/migrations';
import { analyticsMigrations } from '../analytics/migrations';
import { healthMigrations } from '../health/migrations';
import { seriesMigrations } from '../series/migrations';

/** Every migration of monitor-svc's database; TypeORM orders them by the timestamp in their names. */
export const monitorMigrations = [
  ...seriesMigrations,
  ...healthMigrations,
  ...alertsMigrations,
  ...analyticsMigrations,
];

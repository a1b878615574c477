import { alertsMigrations } from '../alerts/migrations';
import { analyticsMigrations } from '../analytics/migrations';
import { healthMigrations } from '../health/migrations';
import { seriesMigrations } from '../series/migrations';
import { CreateOutboxAttempts1796150000000 } from './1796150000000-create-outbox-attempts';

/** Every migration of monitor-svc's database; TypeORM orders them by the timestamp in their names. */
export const monitorMigrations = [
  ...seriesMigrations,
  ...healthMigrations,
  ...alertsMigrations,
  ...analyticsMigrations,
  CreateOutboxAttempts1796150000000,
];

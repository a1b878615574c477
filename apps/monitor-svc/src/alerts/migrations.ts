import { CreateAlerts1796131000000 } from './1796131000000-create-alerts';

/** Migrations of the alerts slice, in order (see ../migrations/index.ts). */
export const alertsMigrations = [CreateAlerts1796131000000];

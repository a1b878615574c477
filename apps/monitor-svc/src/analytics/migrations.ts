import { CreateAnalytics1796140800000 } from './1796140800000-create-analytics';

/** Migrations of the analytics slice, in order (see ../migrations/index.ts). */
export const analyticsMigrations = [CreateAnalytics1796140800000];

import { CreateEdgeHealth1796127885700 } from './1796127885700-create-edge-health';

/** Migrations of the health slice, in order (see ../migrations/index.ts). */
export const healthMigrations = [CreateEdgeHealth1796127885700];

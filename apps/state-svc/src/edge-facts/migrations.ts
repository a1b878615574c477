import { CreateEdgeFacts1764600000000 } from './1764600000000-create-edge-facts';

/** Migrations of the edge-facts slice, in order (see ../migrations/index.ts). */
export const edgeFactsMigrations = [CreateEdgeFacts1764600000000];

import { EdgesVersionIndex1764590000000 } from './1764590000000-edges-version-index';

/** Migrations of the placement slice, in order (see ../migrations/index.ts). */
export const placementMigrations = [EdgesVersionIndex1764590000000];

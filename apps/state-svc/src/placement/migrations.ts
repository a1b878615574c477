/** Migrations of the placement slice, in order (see ../migrations/index.ts). */
export const placementMigrations = [];

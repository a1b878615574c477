/** Migrations of the state-objects slice, in order (see ../migrations/index.ts). */
export const stateObjectMigrations = [];

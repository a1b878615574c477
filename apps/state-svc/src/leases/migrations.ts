/** Migrations of the leases slice, in order (see ../migrations/index.ts). */
export const leaseMigrations = [];

import { CreateLeases1764100000350 } from './1764100000350-create-leases';

/** Migrations of the leases slice, in order (see ../migrations/index.ts). */
export const leaseMigrations = [CreateLeases1764100000350];

import { CreateStateObjects1764100000400 } from './1764100000400-create-state-objects';

/** Migrations of the state-objects slice, in order (see ../migrations/index.ts). */
export const stateObjectMigrations = [CreateStateObjects1764100000400];

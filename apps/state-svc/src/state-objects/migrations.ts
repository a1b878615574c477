import { CreateStateObjects1764100000400 } from './1764100000400-create-state-objects';
import { DropStateObjectAccess1764100000410 } from './1764100000410-drop-state-object-access';

/** Migrations of the state-objects slice, in order (see ../migrations/index.ts). */
export const stateObjectMigrations = [CreateStateObjects1764100000400, DropStateObjectAccess1764100000410];

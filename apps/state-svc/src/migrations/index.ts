import { leaseMigrations } from '../leases/migrations';
import { placementMigrations } from '../placement/migrations';
import { stateObjectMigrations } from '../state-objects/migrations';
import { CreateEdges1764100000100 } from './1764100000100-create-edges';

/** Every migration of state-svc's database; TypeORM orders them by the timestamp in their names. */
export const stateMigrations = [CreateEdges1764100000100, ...leaseMigrations, ...stateObjectMigrations, ...placementMigrations];

import { CreateEdges1764100000100 } from './1764100000100-create-edges';

/** Every migration of state-svc's database, in order. */
export const stateMigrations = [CreateEdges1764100000100];

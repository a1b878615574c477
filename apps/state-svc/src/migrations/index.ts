import { edgeFactsMigrations } from '../edge-facts/migrations';
import { leaseMigrations } from '../leases/migrations';
import { placementMigrations } from '../placement/migrations';
import { stateObjectMigrations } from '../state-objects/migrations';
import { CreateEdges1764100000100 } from './1764100000100-create-edges';
import { CreateEdgeTransitions1764100000200 } from './1764100000200-create-edge-transitions';
import { EdgePlacementFacts1764100000300 } from './1764100000300-edge-placement-facts';

/** Every migration of state-svc's database; TypeORM orders them by the timestamp in their names. */
export const stateMigrations = [
  CreateEdges1764100000100,
  CreateEdgeTransitions1764100000200,
  EdgePlacementFacts1764100000300,
  ...leaseMigrations,
  ...stateObjectMigrations,
  ...placementMigrations,
  ...edgeFactsMigrations,
];

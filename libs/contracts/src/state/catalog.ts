import { EventCatalog } from '../envelope';
import { EDGE_EVENTS } from './edge.events';
import { LEASE_EVENTS } from './lease.contracts';
import { STATE_OBJECT_EVENTS } from './state-object.contracts';

/** Every event of the state domain: what state-svc publishes and its projections parse. */
export const stateEventCatalog = new EventCatalog([...EDGE_EVENTS, ...LEASE_EVENTS, ...STATE_OBJECT_EVENTS]);

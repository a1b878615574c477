import { EventCatalog } from '../envelope';
import { EDGE_EVENTS, EDGE_EVENTS_V1 } from './edge.events';
import { LEASE_EVENTS } from './lease.contracts';
import { STATE_OBJECT_EVENTS } from './state-object.contracts';

/** Every edge event of every version: what a consumer of the fleet parses. */
export const edgeEventCatalog = new EventCatalog([...EDGE_EVENTS, ...EDGE_EVENTS_V1]);

/** Every event of the state domain: what state-svc publishes and its projections parse. */
export const stateEventCatalog = new EventCatalog([
  ...EDGE_EVENTS,
  ...EDGE_EVENTS_V1,
  ...LEASE_EVENTS,
  ...STATE_OBJECT_EVENTS,
]);

import { EventCatalog } from '../envelope';
import { COORD_EVENTS } from './coord.events';

/** Every event of the coord domain: what coordination-svc publishes on the COORD stream. */
export const coordEventCatalog = new EventCatalog([...COORD_EVENTS]);

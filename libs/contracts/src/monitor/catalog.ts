import { EventCatalog } from '../envelope';
import { alertEventDefinitions } from './alert.contracts';
import { HEALTH_EVENTS } from './health.contracts';

/** Every event of the monitor domain: health and alert events. */
export const monitorEventCatalog = new EventCatalog([...HEALTH_EVENTS, ...alertEventDefinitions]);

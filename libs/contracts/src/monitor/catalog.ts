import { EventCatalog } from '../envelope';
import { ANALYTICS_EVENTS } from './analytics.contracts';
import { HEALTH_EVENTS } from './health.contracts';

/** Every event of the monitor domain (alert events come with that feature). */
export const monitorEventCatalog = new EventCatalog([...HEALTH_EVENTS, ...ANALYTICS_EVENTS]);

import { EventCatalog } from '../envelope';
import { ANALYTICS_EVENTS } from './analytics.contracts';

/** Every event of the monitor domain (health and alert events come with those features). */
export const monitorEventCatalog = new EventCatalog([...ANALYTICS_EVENTS]);

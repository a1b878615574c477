import { EventCatalog } from '../envelope';

/** Every event of the monitor domain: none yet (health and alert events come with those features). */
export const monitorEventCatalog = new EventCatalog([]);

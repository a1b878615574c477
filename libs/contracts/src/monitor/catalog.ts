import { EventCatalog } from '../envelope';
import { alertEventDefinitions } from './alert.contracts';

/** Every event of the monitor domain (health events come with that feature). */
export const monitorEventCatalog = new EventCatalog([...alertEventDefinitions]);

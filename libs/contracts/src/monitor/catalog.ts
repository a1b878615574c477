import { EventCatalog } from '../envelope';
import { alertEventDefinitions } from './alert.contracts';
import { ANALYTICS_EVENTS } from './analytics.contracts';
import { HEALTH_EVENTS } from './health.contracts';

/** Every event of the monitor domain: health, alert and analytics events. */
export const monitorEventCatalog = new EventCatalog([
  ...HEALTH_EVENTS,
  ...alertEventDefinitions,
  ...ANALYTICS_EVENTS,
]);

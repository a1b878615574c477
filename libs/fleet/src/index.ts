export { FleetModule, fleetProjectionName, fleetRebuildTarget } from './fleet.module';
export { FleetReader } from './fleet.reader';
export type { FleetEdge, FleetFilter } from './fleet-rows';
export { fleetProjection } from './fleet.projection';
export { fleetMigrations } from './fleet-edges.migration';

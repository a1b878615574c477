export * from './config/service-config';
export * from './config/tokens';
export { ServiceKitModule } from './service-kit.module';
export type { ServiceFeature, ServiceKitOptions } from './service-kit.module';
export { ServiceStreams } from './messaging/service-streams';
export type { StreamOwnership, StreamStatus } from './messaging/service-streams';
export { ProjectionHost } from './messaging/projection-host';
export type { ProjectionRegistration } from './messaging/projection-host';
export { ZodPipe } from './http/zod-body.pipe';
export { QueryParameters } from './http/query-parameters';
export { openApiSchema } from './http/openapi';
export { bootstrapService, startNatsTransport, useRequestContext } from './bootstrap';
export { runService } from './run-service';
export type { ServiceMain } from './run-service';
export { createDatabaseIfMissing } from './database/create-database';
export { runProjectionRebuild } from './cli/rebuild-projection';
export type { RebuildTarget } from './cli/rebuild-projection';
export { ServiceClock } from './messaging/service-clock';
export { ReadinessProbes } from './health/readiness-probes';
export type { ReadinessProbe, ReadinessResult } from './health/readiness-probes';
export * from './transport';
export { ApiKeyGuard } from './http/api-key.guard';
export { ErrorFilter, toErrorResponse } from './http/error.filter';
export { CorrelationId, Principal } from './context/request-scope.decorators';
export type { ApiKey } from './config/api-keys';
export * from './nats-permissions';
export { AggregateStores } from './messaging/aggregate-stores';
export { ReadsProjection } from './read-your-writes/reads-projection.decorator';
export {
  ReadYourWritesInterceptor,
  READ_YOUR_WRITES_WAIT_MS,
} from './read-your-writes/read-your-writes.interceptor';

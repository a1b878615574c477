export * from './config/service-config';
export * from './config/tokens';
export { ServiceKitModule } from './service-kit.module';
export type { ServiceKitOptions } from './service-kit.module';
export { ProjectionHost } from './messaging/projection-host';
export type { ProjectionRegistration } from './messaging/projection-host';
export { ZodPipe } from './http/zod-body.pipe';
export { openApiSchema } from './http/openapi';
export { bootstrapService } from './bootstrap';
export { createDatabaseIfMissing } from './database/create-database';
export { runProjectionRebuild } from './cli/rebuild-projection';
export type { RebuildTarget } from './cli/rebuild-projection';
export { ServiceClock } from './messaging/service-clock';
export { AggregateStores } from './messaging/aggregate-stores';
export { ReadsProjection } from './read-your-writes/reads-projection.decorator';
export {
  ReadYourWritesInterceptor,
  READ_YOUR_WRITES_WAIT_MS,
} from './read-your-writes/read-your-writes.interceptor';
export { RequestContextMiddleware } from './http/request-context.middleware';

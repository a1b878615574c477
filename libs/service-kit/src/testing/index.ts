// Test tooling for services built on @kailash/service-kit: a real service started in the test's
// process, a cluster of instances (in-process or built processes), a projection against a test
// database. It sits above @kailash/testing, whose helpers the backbone's own tests use. Not part
// of the kit's entry point: production code never imports it.
export * from './test-service';
export * from './service-cluster';
export { nestServiceBoot } from './nest-boot';
export type { NestServiceBoot } from './nest-boot';
export * from './projection-spec';

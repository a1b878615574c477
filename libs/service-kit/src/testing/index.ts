// Test tooling for services built on @kailash/service-kit: a real service started in the test's
// process. Not part of the kit's entry point: production code never imports it.
export * from './test-service';

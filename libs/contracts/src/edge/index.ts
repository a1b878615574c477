export * from './telemetry.contracts';
export * from './edge-agent.requests';
export * from './workload-spec';

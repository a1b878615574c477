export * from './telemetry.contracts';
export * from './edge-agent.requests';

export * from './routing';
export * from './moved';
export * from './edge-client';
export * from './state-svc-locator';
export * from './nats-agent-transport';
export * from './edge-workloads';

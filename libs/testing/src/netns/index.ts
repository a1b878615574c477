export * from './network-lab';
export * from './nats-cluster';

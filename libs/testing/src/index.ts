export * from './environment';
export * from './unique-name';
export * from './test-database';
export * from './test-nats';
export * from './free-port';
export * from './test-clock';
export * from './nats-server';
export * from './fuzz';

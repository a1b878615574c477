export * from './event-envelope';
export * from './event-definition';
export * from './command-envelope';

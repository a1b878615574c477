export * from './edge.schemas';
export * from './edge.events';
export * from './edge.requests';

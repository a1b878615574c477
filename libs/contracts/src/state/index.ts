export * from './edge.schemas';
export * from './edge-lifecycle';
export * from './edge.events';
export * from './edge.requests';
export * from './lease.contracts';
export * from './state-object.contracts';
export * from './placement.contracts';
export * from './catalog';

export * from './coord.requests';
export * from './coord.events';
export * from './catalog';

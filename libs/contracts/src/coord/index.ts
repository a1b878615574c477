export * from './coord.requests';
export * from './coord.events';
export * from './catalog';
export * from './coord.history';

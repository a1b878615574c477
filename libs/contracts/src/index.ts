export * from './errors';
export * from './validation';
export * from './numbers';
export * from './subjects';
export * from './envelope';
export * from './state';
export * from './services/service-topology';
export * from './coord';

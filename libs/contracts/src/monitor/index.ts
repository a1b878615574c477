export * from './metric.contracts';
export * from './alert.contracts';
export * from './catalog';

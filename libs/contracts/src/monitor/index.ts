export * from './metric.contracts';
export * from './health.contracts';
export * from './alert.contracts';
export * from './catalog';

export * from './metric.contracts';
export * from './health.contracts';
export * from './alert.contracts';
export * from './analytics.contracts';
export * from './catalog';

export * from './metric.contracts';
export * from './health.contracts';
export * from './analytics.contracts';
export * from './catalog';

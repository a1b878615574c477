export * from './metric.contracts';
export * from './health.contracts';
export * from './catalog';

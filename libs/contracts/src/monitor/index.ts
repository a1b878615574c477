export * from './metric.contracts';
export * from './analytics.contracts';
export * from './catalog';

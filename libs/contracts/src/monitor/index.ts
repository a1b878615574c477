export * from './metric.contracts';
export * from './catalog';

export * from './history';
export * from './lost-writes';
export * from './workload';
export * from './fault-schedule';
export * from './check';
export * from './final-reads';
export * from './process-signals';
export * from './scenario';

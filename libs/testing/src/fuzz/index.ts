export * from './fuzz-route';
export * from './fuzz-runner';
export * from './hostile';
export * from './stream-state';
export * from './fuzz-suite';

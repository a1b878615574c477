export * from './core/errors';
export * from './nab';

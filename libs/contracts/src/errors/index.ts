export * from './error-codes';
export * from './kailash-error';

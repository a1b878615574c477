export { CoordinationClient } from './coordination-client';
export type { Consistency, CoordinationClientOptions, WatchOptions } from './coordination-client';
export { SessionNumbering } from './session';
export { DEFAULT_RETRY_POLICY, isRetryable, withRetries } from './retry-policy';
export type { RetryPolicy } from './retry-policy';
export * from './requests';

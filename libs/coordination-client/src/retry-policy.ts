import { isKailashError } from '@kailash/contracts';

export interface RetryPolicy {
  /** Give up after this long in total (the error of the last attempt is thrown). */
  readonly deadlineMs: number;
  /** Per-attempt NATS request timeout. */
  readonly attemptTimeoutMs: number;
  /** First pause between attempts; doubles up to maxBackoffMs. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

/**
 * Tuned for failover: an election takes one election timeout (500–1000 ms at the defaults), so
 * short pauses (25 ms doubling to 200 ms) find the new leader soon after it is elected, and an
 * attempt that hits a dead leader's forwarder gives up after 1 s rather than NATS's 5 s default.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  deadlineMs: 15_000,
  attemptTimeoutMs: 1_000,
  initialBackoffMs: 25,
  maxBackoffMs: 200,
};

/**
 * Whether another attempt may succeed: no leader yet, the leader unreachable or replaced, a full
 * proposal queue, or the request lost on the way (a NATS timeout or no responder). A write retried
 * after its first attempt was applied gets the recorded answer (its session sequence is the same).
 */
export function isRetryable(error: unknown): boolean {
  if (isKailashError(error)) {
    if (error.code === 'NOT_LEADER' || error.code === 'TIMEOUT' || error.code === 'RATE_LIMITED') return true;
    return error.code === 'UNAVAILABLE';
  }
  // Not a reply from a replica: the request timed out or found no responder (replicas restarting).
  return error instanceof Error && LOST_REQUEST_ERRORS.has(error.name);
}

const LOST_REQUEST_ERRORS = new Set(['TimeoutError', 'NoRespondersError', 'RequestError']);

export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (timeoutMs: number) => Promise<T>,
  onRetry?: (error: unknown) => void,
): Promise<T> {
  const deadline = Date.now() + policy.deadlineMs;
  let backoff = policy.initialBackoffMs;
  for (;;) {
    const left = deadline - Date.now();
    try {
      return await attempt(Math.max(50, Math.min(policy.attemptTimeoutMs, left)));
    } catch (error) {
      if (!isRetryable(error) || Date.now() + backoff >= deadline) throw error;
      onRetry?.(error);
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(policy.maxBackoffMs, backoff * 2);
    }
  }
}

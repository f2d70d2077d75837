/** How failed calls are retried. Every delay is in milliseconds. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** The first backoff delay; each retry doubles it. */
  baseDelay: number;
  /** No backoff delay is longer than this. */
  maxDelay: number;
  /** Spread of each delay, as a share of it: 0.25 means ±25%. */
  jitter: number;
  /** A server's Retry-After is honoured up to this long. */
  maxRetryAfter: number;
  /** Statuses worth another attempt. */
  retryStatuses: readonly number[];
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  baseDelay: 1000,
  maxDelay: 30_000,
  jitter: 0.25,
  maxRetryAfter: 60_000,
  retryStatuses: [429, 502, 503, 504],
};

export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...defaultRetryPolicy, ...overrides };
}

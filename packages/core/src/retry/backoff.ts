import type { RetryPolicy } from './retry-policy.js';

/**
 * The wait before retry number `retry` (0 for the first retry): exponential, capped, with
 * jitter so that many clients refused at once do not come back at once.
 * `random` returns a number in [0, 1).
 */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelay' | 'maxDelay' | 'jitter'>,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxDelay, policy.baseDelay * 2 ** retry);
  const spread = exponential * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(exponential + spread));
}

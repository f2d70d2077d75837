import { backoffDelay } from './backoff.js';
import { parseRetryAfter } from './retry-after.js';
import type { RetryPolicy } from './retry-policy.js';
import { networkFailureStage } from '../transport/network-failure.js';

/**
 * `idempotent` calls (status, result, cancel, usage) may be repeated freely. A `submit` may
 * only be repeated when the server surely did not take the job: a refused connection, a 429
 * or a 503. A 502, a 504 or a connection that broke after sending may hide an accepted job.
 */
export type CallKind = 'submit' | 'idempotent';

export type AttemptOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string> }
  | { kind: 'network-error'; error: unknown };

export type RetryDecision = { retry: true; delay: number } | { retry: false };

const SUBMIT_SAFE_STATUSES = new Set([429, 503]);

/** Decides whether attempt number `retry` + 1 should be made, and after how long. */
export function decideRetry(
  outcome: AttemptOutcome,
  call: CallKind,
  retry: number,
  policy: RetryPolicy,
  now: number,
  random: () => number = Math.random,
): RetryDecision {
  if (retry >= policy.maxRetries || !isRetryable(outcome, call, policy)) return { retry: false };
  const backoff = backoffDelay(retry, policy, random);
  if (outcome.kind === 'response') {
    const retryAfter = parseRetryAfter(outcome.headers['retry-after'], now);
    if (retryAfter !== undefined) return { retry: true, delay: Math.min(retryAfter, policy.maxRetryAfter) };
  }
  return { retry: true, delay: backoff };
}

function isRetryable(outcome: AttemptOutcome, call: CallKind, policy: RetryPolicy): boolean {
  if (outcome.kind === 'network-error') {
    const stage = networkFailureStage(outcome.error);
    if (stage === 'not-network') return false;
    return call === 'idempotent' || stage === 'before-send';
  }
  const { status, headers } = outcome;
  // The caller's own x-fal-request-timeout ran out: trying again would only run out again.
  if (status === 504 && headers['x-fal-request-timeout-type'] === 'user') return false;
  if (headers['x-fal-retryable'] === 'false') return false;
  if (!policy.retryStatuses.includes(status)) return false;
  return call === 'idempotent' || SUBMIT_SAFE_STATUSES.has(status);
}

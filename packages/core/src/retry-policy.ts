// The retry policy: a client option, checked when the client is made. What it decides and the
// loop that sends under it are in retry.ts, which loads with the first call: kept apart so
// that `import` of the core stays small (pnpm bench --only size).
import type { FieldError } from './errors.js';
import { readOptions, throwIfProblems, type ArgumentRule } from './validation/check-arguments.js';

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

const isWhole = (value: unknown, min: number, max: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
const isDelay = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;

const POLICY_RULES: Record<keyof RetryPolicy, ArgumentRule> = {
  maxRetries: { allowed: 'a whole number from 0 to 100', test: (value) => isWhole(value, 0, 100) },
  baseDelay: { allowed: 'a number of milliseconds, 0 or more', test: isDelay },
  maxDelay: { allowed: 'a number of milliseconds, 0 or more', test: isDelay },
  jitter: { allowed: 'a number from 0 to 1', test: (value) => typeof value === 'number' && value >= 0 && value <= 1 },
  maxRetryAfter: { allowed: 'a number of milliseconds, 0 or more', test: isDelay },
  retryStatuses: {
    allowed: 'a list of HTTP statuses (whole numbers from 100 to 599)',
    test: (value) => Array.isArray(value) && value.every((status) => isWhole(status, 100, 599)),
  },
};

/**
 * The default policy with `overrides` applied. Each override is checked: a bad one is an
 * InputError naming it (`retry.maxRetries must be ...`), before anything is sent.
 */
export function resolveRetryPolicy(overrides: unknown = {}): RetryPolicy {
  const problems: FieldError[] = [];
  const values = readOptions('retry', overrides, POLICY_RULES, problems);
  throwIfProblems(
    problems.map((problem) =>
      problem.field === 'retry' ? problem : { field: `retry.${problem.field}`, message: `retry.${problem.message}` },
    ),
  );
  return { ...defaultRetryPolicy, ...(values as Partial<RetryPolicy>) };
}

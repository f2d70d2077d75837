import type { JobEnding } from './job-types.js';

/**
 * The error endings of a job: what its result call answers and its webhook carries.
 * Bodies and headers follow fal's error shapes.
 */

/** `[fail]`: the model crashed. AnyAPI's gateway reports the status as FAILED. */
export function modelFailure(message = 'The model failed while editing the image.'): JobEnding {
  return {
    kind: 'error',
    reason: 'failed',
    httpStatus: 500,
    body: { detail: `Internal server error: ${message}` },
    headers: { 'x-fal-error-type': 'internal_server_error', 'x-fal-retryable': 'false' },
  };
}

/** `[fail-at-result]`: the job completes, but its output was refused by the safety checker. */
export function contentPolicyViolation(prompt: string): JobEnding {
  return {
    kind: 'error',
    reason: 'rejected',
    httpStatus: 422,
    body: {
      detail: [
        {
          loc: ['body', 'prompt'],
          msg: 'The content could not be processed because it contained material flagged by a content checker.',
          type: 'content_policy_violation',
          input: prompt,
        },
      ],
    },
    headers: { 'x-fal-error-type': 'content_policy_violation', 'x-fal-retryable': 'false' },
  };
}

/** A cancelled job ends; asking for its result is an error, like any result that never came. */
export function cancelled(): JobEnding {
  return {
    kind: 'error',
    reason: 'cancelled',
    httpStatus: 400,
    body: { detail: 'Request was cancelled.' },
    headers: {},
  };
}

/**
 * The caller's own `x-fal-request-timeout` ran out before any runner started the job: fal's 504
 * with `x-fal-request-timeout-type: user`, in the shape of fal's request errors
 * (`{detail, error_type}`), which must not be retried.
 */
export function requestTimedOut(seconds: number): JobEnding {
  return {
    kind: 'error',
    reason: 'timed-out',
    httpStatus: 504,
    body: {
      detail: `Request timed out: it did not start within ${seconds} seconds (x-fal-request-timeout).`,
      error_type: 'request_timeout',
    },
    headers: {
      'x-fal-error-type': 'request_timeout',
      'x-fal-request-timeout-type': 'user',
      'x-fal-retryable': 'false',
    },
  };
}

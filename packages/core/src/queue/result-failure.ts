import type { ApiError } from '../errors.js';

/** Statuses a gateway or relay answers on its own: overloaded, down, or timed out upstream. */
const GATEWAY_STATUSES = new Set([429, 502, 503, 504]);
/** Statuses about the call, not the job: the key, or a request id the queue does not know. */
const CALL_STATUSES = new Set([401, 403, 404]);

/**
 * Tells whether an error answer to a result fetch is the model's own (the job failed) rather
 * than a gateway's or the call's. The rule:
 * - fal marks the model's errors with `x-fal-error-type` (e.g. `content_policy_violation`,
 *   `generation_timeout`): always the model's, whatever the status;
 * - otherwise 429, 502, 503 and 504 are a gateway's (AnyAPI's relay, fal's edge): retried like
 *   any read and never the job's failure, since the result is there once the gateway recovers;
 * - 401, 403 and 404 are about the key or the request id, not the job;
 * - any other status is the model's when the body has fal's shape (`{detail: ...}`); a body of
 *   another shape (an HTML error page, a relay's own JSON) is a server error, not the job's.
 */
export function isModelAnswer(error: ApiError): boolean {
  if (error.headers['x-fal-error-type'] !== undefined) return true;
  if (GATEWAY_STATUSES.has(error.status) || CALL_STATUSES.has(error.status)) return false;
  const body = error.body;
  return typeof body === 'object' && body !== null && 'detail' in body;
}

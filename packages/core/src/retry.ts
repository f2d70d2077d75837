// How a failed request is retried: the pure decisions under the policy (retry-policy.ts),
// tested directly as fal-js does, and the loop every queue call and the raw typed client send
// through (sendWithRetry).
import { ConnectionError } from './errors.js';
import { attemptTimedOut, startDeadline } from './queue/deadline.js';
import type { RetryPolicy } from './retry-policy.js';
import { isBlockedPort, networkFailureStage } from './transport/network-failure.js';
import type { Sleep, Transport, TransportRequest, TransportResponse } from './transport/transport.js';

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

/**
 * Reads a Retry-After header, in seconds or as an HTTP date, into milliseconds from `now`.
 * Undefined when it is absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

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


/** What sendWithRetry needs, built by createRetryContext (retry-context.ts) for the queue lifecycle and the raw client. */
export interface RetryContext {
  transport: Transport;
  sleep: Sleep;
  retry: RetryPolicy;
  /** Milliseconds one attempt may take; undefined: no limit. */
  requestTimeout: number | undefined;
  now: () => number;
  random: () => number;
}

/**
 * Sends `request`, retrying what the retry policy allows. Resolves with the last answer,
 * whatever its status (callers turn error statuses into errors); rejects with a
 * ConnectionError when the server could not be reached, or with the AbortError of an abort.
 */
export async function sendWithRetry(
  context: RetryContext,
  request: TransportRequest,
  call: CallKind,
  action: string,
): Promise<TransportResponse> {
  for (let retry = 0; ; retry += 1) {
    let outcome: AttemptOutcome;
    let response: TransportResponse | undefined;
    const deadline = startDeadline(context.sleep, context.requestTimeout, request.signal);
    try {
      response = await deadline.race(context.transport.send({ ...request, signal: deadline.signal }));
      outcome = { kind: 'response', status: response.status, headers: response.headers };
    } catch (error) {
      if (request.signal?.aborted) throw error;
      if (deadline.expired) outcome = { kind: 'network-error', error: attemptTimedOut(context.requestTimeout!) };
      else if (isBlockedPort(error)) throw blockedPortError(action, error);
      else if (networkFailureStage(error) === 'not-network') throw error;
      else outcome = { kind: 'network-error', error };
    } finally {
      deadline.release();
    }
    const decision = decideRetry(outcome, call, retry, context.retry, context.now(), context.random);
    if (!decision.retry) {
      if (response) return response;
      throw connectionError(outcome, call, action, retry);
    }
    await context.sleep(decision.delay, request.signal);
  }
}

function blockedPortError(action: string, error: unknown): ConnectionError {
  return new ConnectionError(
    `${action} failed: nothing was sent, because Node's fetch refuses to connect to this port (bad port); ` +
      'use another port in the base URL.',
    { cause: error },
  );
}

function connectionError(outcome: AttemptOutcome, call: CallKind, action: string, retries: number): ConnectionError {
  const error = outcome.kind === 'network-error' ? outcome.error : undefined;
  const mayHaveBeenAccepted = call === 'submit' && networkFailureStage(error) === 'after-send';
  const attempts = retries + 1;
  const reason = describeNetworkError(error);
  const message = mayHaveBeenAccepted
    ? `${action} failed: the connection broke after the job was sent (${reason}). The job may have been ` +
      'accepted, so it was not sent again; check your AnyAPI request history before submitting again.'
    : `${action} failed: could not reach the server after ${attempts} attempt${attempts === 1 ? '' : 's'} (${reason}).`;
  return new ConnectionError(message, { cause: error, mayHaveBeenAccepted, attempts });
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const code = (error as { code?: string } | undefined)?.code ?? cause?.code;
  const message = cause?.message ?? (error as { message?: string } | undefined)?.message ?? 'unknown error';
  return code ? `${code}: ${message}` : message;
}

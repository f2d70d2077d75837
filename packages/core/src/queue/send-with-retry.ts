import { ConnectionError } from '../errors/lifecycle-errors.js';
import { decideRetry, type AttemptOutcome, type CallKind } from '../retry/retry-decision.js';
import { isBlockedPort, networkFailureStage } from '../transport/network-failure.js';
import type { TransportRequest, TransportResponse } from '../transport/transport.js';
import { attemptTimedOut, startDeadline } from './deadline.js';
import type { LifecycleContext } from './lifecycle-context.js';

/**
 * Sends `request`, retrying what the retry policy allows. Resolves with the last answer,
 * whatever its status (callers turn error statuses into errors); rejects with a
 * ConnectionError when the server could not be reached, or with the AbortError of an abort.
 */
export async function sendWithRetry(
  context: LifecycleContext,
  request: TransportRequest,
  call: CallKind,
  action: string,
): Promise<TransportResponse> {
  for (let retry = 0; ; retry += 1) {
    let outcome: AttemptOutcome;
    let response: TransportResponse | undefined;
    const deadline = startDeadline(context.sleep, context.requestTimeout, request.signal);
    try {
      response = await context.transport.send({ ...request, signal: deadline.signal });
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

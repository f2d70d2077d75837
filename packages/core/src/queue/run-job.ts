import { ApiError } from '../errors/api-error.js';
import { CancelledError, InputError, JobFailedError, TimeoutError } from '../errors/lifecycle-errors.js';
import type { CancelOutcome, KontextResult, QueueTicket, QueueUpdate, SubmitPath } from '../types.js';
import { startDeadline } from './deadline.js';
import { jobAddress, type JobAddress } from './job-address.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { cancelJob, getResult, submitJob } from './queue-calls.js';
import { waitForCompletion } from './wait-for-completion.js';

export interface RunOptions<P extends SubmitPath = SubmitPath> {
  /** The model path to submit to; the spec's default when left out. */
  endpoint?: P;
  /**
   * Milliseconds to wait for the job, counted from when it is queued (the submit has its own
   * retries); the job is cancelled on the server when it runs out.
   */
  timeout?: number;
  /** Aborting it cancels the job on the server and rejects with CancelledError. */
  signal?: AbortSignal;
  /**
   * Called when the job's status, queue position or logs change. If it throws, the run
   * rejects with that error and the job is cancelled on the server (so does `onSubmit`).
   */
  onUpdate?: (update: QueueUpdate) => void;
  /** Called with the ticket as soon as the job is queued, e.g. to keep its request id. */
  onSubmit?: (ticket: QueueTicket) => void;
  /**
   * Milliseconds between status polls when there is no status stream. By default polling is
   * adaptive: it asks when the answer is likely to have changed, from the job's queue
   * position, its start and progress (log timestamps) and how long this endpoint's recent
   * jobs ran (`metrics.inference_time`).
   */
  pollInterval?: number;
  /** Follow the status stream when the server offers one. Default true. */
  stream?: boolean;
  /** fal POSTs the outcome here when the job ends (sent as `fal_webhook`). */
  webhookUrl?: string;
}

/** Checks the options a caller can get wrong, before anything is sent. */
export function checkRunOptions(options: RunOptions): void {
  const problems = [];
  if (options.timeout !== undefined && !(Number.isFinite(options.timeout) && options.timeout > 0)) {
    problems.push({ field: 'timeout', message: `timeout must be a number of milliseconds above 0 (got ${String(options.timeout)})` });
  }
  if (options.pollInterval !== undefined && !(Number.isFinite(options.pollInterval) && options.pollInterval >= 0)) {
    problems.push({ field: 'pollInterval', message: `pollInterval must be a number of milliseconds, 0 or more (got ${String(options.pollInterval)})` });
  }
  if (options.webhookUrl !== undefined && !/^https?:\/\/\S+$/.test(options.webhookUrl)) {
    problems.push({ field: 'webhookUrl', message: `webhookUrl must be an http(s) URL (got ${JSON.stringify(options.webhookUrl)})` });
  }
  if (problems.length > 0) throw new InputError(problems);
}

/**
 * Submits a validated body, waits for the job and fetches its result. A timeout or an abort
 * cancels the job on the server. The submit itself is not interrupted: a job that may have
 * been accepted must be known, so that it can be cancelled rather than left running.
 */
export async function runJob(
  context: LifecycleContext,
  endpoint: SubmitPath,
  body: unknown,
  options: RunOptions,
): Promise<KontextResult> {
  if (options.signal?.aborted) throw new CancelledError(undefined, false);
  const ticket = await submitJob(context, endpoint, body, options.webhookUrl);
  const address = jobAddress(ticket, endpoint);

  const deadline = startDeadline(context.sleep, options.timeout, options.signal);
  // A caller's callback that throws ends the run with its error; the job it will never
  // collect is cancelled rather than left running (and billed) on the server.
  let callbackFailure: { error: unknown } | undefined;
  const guard = <T>(callback: ((value: T) => void) | undefined) =>
    callback &&
    ((value: T) => {
      try {
        callback(value);
      } catch (error) {
        callbackFailure ??= { error };
        deadline.abort();
      }
    });
  guard(options.onSubmit)?.(ticket);

  try {
    const final = await waitForCompletion(context, address, {
      signal: deadline.signal,
      pollInterval: options.pollInterval,
      useStream: options.stream ?? true,
      onUpdate: guard(options.onUpdate),
      historyKey: endpoint,
      justQueued: { queuePosition: ticket.queue_position },
    });
    if (final.status === 'FAILED') {
      const reason = 'error' in final && typeof final.error === 'string' ? final.error : 'the queue reported FAILED';
      throw new JobFailedError(address.requestId, reason);
    }
    return await fetchResult(context, address, deadline.signal);
  } catch (error) {
    if (!deadline.signal.aborted) throw error;
    const outcome = await cancelQuietly(context, address);
    if (callbackFailure) throw callbackFailure.error;
    if (deadline.expired) throw new TimeoutError(address.requestId, options.timeout!, outcome);
    throw new CancelledError(address.requestId, outcome === 'CANCELLATION_REQUESTED');
  } finally {
    deadline.release();
  }
}

async function fetchResult(context: LifecycleContext, address: JobAddress, signal: AbortSignal): Promise<KontextResult> {
  try {
    return await getResult(context, address, { signal });
  } catch (error) {
    // fal reports a failed job as COMPLETED; the failure only shows here.
    if (error instanceof ApiError) {
      throw new JobFailedError(address.requestId, error.message, { cause: error });
    }
    throw error;
  }
}

async function cancelQuietly(context: LifecycleContext, address: JobAddress): Promise<CancelOutcome | 'FAILED'> {
  try {
    return await cancelJob(context, address, {});
  } catch {
    return 'FAILED';
  }
}

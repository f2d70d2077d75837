import {
  ApiError,
  CancelledError,
  ConnectionError,
  describeCancelOutcome,
  JobFailedError,
  KontextError,
  RunInterruptedError,
  TimeoutError,
  InputError,
  type FieldError,
  type JobCancelOutcome,
} from '../errors.js';
import { defaultEndpoint } from '../generated/endpoints.js';
import type { AnyModelPath, KontextResult, QueueTicket, QueueUpdate, SubmitPath } from '../types.js';
import { argumentProblem, readOptions, rules, throwIfProblems, type ArgumentRule } from '../validation/check-arguments.js';
import { endpointRule, isModelPath, modelPathRule } from '../validation/endpoint.js';
import { cancelInBackground, cancelWithinGrace, endingGrace, type EndingGrace } from './cancel-on-end.js';
import { startDeadline } from './deadline.js';
import { ticketAddress, type JobAddress } from './job-address.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { longStrings } from '../transport/long-strings.js';
import { getResult, submitJob } from './queue-calls.js';
import { isModelAnswer } from './result-failure.js';
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
   * rejects with a RunInterruptedError (its `cause` is what was thrown) and the job is
   * cancelled on the server (so does `onSubmit`).
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

const SUBMIT_OPTION_RULES = { endpoint: endpointRule, webhookUrl: rules.httpUrl };

const RUN_OPTION_RULES = {
  ...SUBMIT_OPTION_RULES,
  timeout: rules.positiveMs,
  signal: rules.signal,
  onUpdate: rules.callback,
  onSubmit: rules.callback,
  pollInterval: rules.nonNegativeMs,
  stream: rules.boolean,
};

/** Run options once checked: the values read, the endpoint resolved (any model path for `runAny`). */
export type CheckedRunOptions = Omit<RunOptions, 'endpoint'> & { endpoint: SubmitPath | AnyModelPath };

/**
 * Checks every run option before anything is sent (a bad `signal` or callback found after the
 * submit would leave a job nobody watches). Each value is read once; the checked copy is used.
 */
export function checkRunOptions(options: unknown, name = 'options'): CheckedRunOptions & { endpoint: SubmitPath } {
  return checkOptions(options, name, RUN_OPTION_RULES) as CheckedRunOptions & { endpoint: SubmitPath };
}

export function checkSubmitOptions(options: unknown, name = 'options'): { endpoint: SubmitPath; webhookUrl?: string } {
  return checkOptions(options, name, SUBMIT_OPTION_RULES) as { endpoint: SubmitPath; webhookUrl?: string };
}

function checkOptions(options: unknown, name: string, optionRules: Record<string, ArgumentRule>): Record<string, unknown> {
  const problems: FieldError[] = [];
  const values = readOptions(name, options, optionRules, problems);
  throwIfProblems(problems);
  return { ...values, endpoint: values.endpoint ?? defaultEndpoint };
}

/**
 * `runAny`/`submitAny`'s model path and options, checked together before anything is sent: the
 * path is the first argument, so an `endpoint` option is a mistake, not something to ignore.
 */
export function checkAnyCall(path: unknown, options: unknown, kind: 'run' | 'submit'): CheckedRunOptions & { endpoint: AnyModelPath } {
  const problems: FieldError[] = [];
  const { endpoint: _endpoint, ...optionRules } = kind === 'run' ? RUN_OPTION_RULES : SUBMIT_OPTION_RULES;
  const notEndpoint: ArgumentRule = { allowed: 'left out: the model path is the first argument', test: () => false };
  const values = readOptions('options', options, { ...optionRules, endpoint: notEndpoint }, problems) as Omit<RunOptions, 'endpoint'>;
  if (!isModelPath(path)) {
    throw new InputError([argumentProblem('path', modelPathRule.allowed, path), ...problems]);
  }
  throwIfProblems(problems);
  return { ...values, endpoint: path };
}

/**
 * Submits a validated body, waits for the job and fetches its result. Once the job exists,
 * whatever ends the run early (an abort, the timeout, a callback that throws, an exhausted
 * retry, a bug) sends a cancel for it, and the error names the job (`requestId`). The run
 * rejects within CANCEL_GRACE_MS of the end starting, saying whether the cancel was confirmed.
 */
export async function runJob(context: LifecycleContext, body: unknown, options: CheckedRunOptions): Promise<KontextResult> {
  if (options.signal?.aborted) throw new CancelledError(undefined, false);
  const grace = endingGrace(context.sleep);
  const startGrace = () => void grace.start();
  options.signal?.addEventListener('abort', startGrace, { once: true });
  try {
    const ticket = await submitUnlessAbortedLong(context, body, options, grace);
    // AnyAPI's result echoes the input: its data URLs may come back as the caller's own strings.
    return await waitAndCollect(context, ticket, options, grace, longStrings(body));
  } finally {
    options.signal?.removeEventListener('abort', startGrace);
    grace.release();
  }
}

/**
 * The submit is not interrupted: a job that may have been accepted must be known, so that it
 * can be cancelled rather than left running. But an abort must still be prompt: if the submit
 * has not answered when the grace is over, the run rejects, and the job, if the server took it,
 * is cancelled as soon as its ticket comes back.
 */
async function submitUnlessAbortedLong(
  context: LifecycleContext,
  body: unknown,
  options: CheckedRunOptions,
  grace: EndingGrace,
): Promise<QueueTicket> {
  const submitted = submitJob(context, options.endpoint, body, options.webhookUrl);
  if (!options.signal) return submitted;
  const signal = options.signal;
  const abortedLong = new Promise<'aborted'>((resolve) => {
    const onAbort = () => void grace.start().then(() => resolve('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    void submitted.then(
      () => signal.removeEventListener('abort', onAbort),
      () => signal.removeEventListener('abort', onAbort),
    );
  });
  const first = await Promise.race([submitted, abortedLong]);
  if (first !== 'aborted') return first;
  submitted.then(
    (ticket) => void cancelInBackground(context, ticketAddress(ticket, options.endpoint)),
    () => undefined,
  );
  throw new CancelledError(undefined, false, {
    message:
      'Aborted while the job was being submitted; if the server accepts it, it is cancelled as soon as its request id comes back.',
  });
}

async function waitAndCollect(
  context: LifecycleContext,
  ticket: QueueTicket,
  options: CheckedRunOptions,
  grace: EndingGrace,
  echoes: readonly string[],
): Promise<KontextResult> {
  const address = ticketAddress(ticket, options.endpoint);
  const deadline = startDeadline(context.sleep, options.timeout, options.signal);
  const startGrace = () => void grace.start();
  deadline.signal.addEventListener('abort', startGrace, { once: true });
  // A caller's callback that throws ends the run; the job it will never collect is cancelled
  // rather than left running (and billed) on the server.
  let interruption: { source: 'onSubmit' | 'onUpdate'; error: unknown } | undefined;
  const guard =
    <T>(source: 'onSubmit' | 'onUpdate', callback: ((value: T) => void) | undefined) =>
    (value: T) => {
      if (!callback || interruption) return;
      try {
        callback(value);
      } catch (error) {
        interruption = { source, error };
        deadline.abort();
      }
    };
  let jobEnded = false;
  try {
    guard('onSubmit', options.onSubmit)(ticket);
    const final = await waitForCompletion(context, address, {
      signal: deadline.signal,
      pollInterval: options.pollInterval,
      useStream: options.stream ?? true,
      onUpdate: options.onUpdate ? guard('onUpdate', options.onUpdate) : undefined,
      historyKey: options.endpoint,
      justQueued: { queuePosition: ticket.queue_position },
    });
    jobEnded = true;
    if (final.status === 'FAILED') {
      const reason = 'error' in final && typeof final.error === 'string' ? final.error : 'the queue reported FAILED';
      throw new JobFailedError(address.requestId, reason);
    }
    return await fetchResult(context, address, deadline.signal, echoes);
  } catch (error) {
    if (error instanceof JobFailedError) throw error;
    void grace.start();
    const outcome: JobCancelOutcome = jobEnded ? 'ALREADY_COMPLETED' : await cancelWithinGrace(context, address, grace);
    if (interruption) throw new RunInterruptedError(address.requestId, interruption.source, outcome, interruption.error);
    if (deadline.expired) throw new TimeoutError(address.requestId, options.timeout!, outcome);
    if (deadline.signal.aborted) {
      throw new CancelledError(address.requestId, outcome === 'CANCELLATION_REQUESTED', { cancelOutcome: outcome });
    }
    throw namingTheJob(error, address.requestId, outcome);
  } finally {
    deadline.signal.removeEventListener('abort', startGrace);
    deadline.release();
  }
}

/** The result of a job that ended COMPLETED: the model's own error answer is the job's failure. */
async function fetchResult(
  context: LifecycleContext,
  address: JobAddress,
  signal: AbortSignal,
  echoes: readonly string[],
): Promise<KontextResult> {
  try {
    return await getResult(context, address, { signal, echoes });
  } catch (error) {
    // fal reports a failed job as COMPLETED; the failure only shows here. A gateway's 429/5xx
    // (retried like any read) is not the job's failure: the result is there once it recovers.
    if (error instanceof ApiError && isModelAnswer(error)) {
      throw new JobFailedError(address.requestId, error.message, { cause: error });
    }
    throw error;
  }
}

/** The error a run ends with once its job exists: always a KontextError that names the job. */
function namingTheJob(error: unknown, requestId: string, outcome: JobCancelOutcome): KontextError {
  if (error instanceof ApiError || error instanceof ConnectionError) {
    error.requestId ??= requestId;
    const note = ` Job ${requestId}: ${describeCancelOutcome(outcome)}.`;
    const before = error.message;
    error.message = `${before}${note}`;
    if (typeof error.stack === 'string') error.stack = error.stack.replace(before, error.message);
    return error;
  }
  if (error instanceof KontextError) return error;
  return new RunInterruptedError(requestId, 'internal', outcome, error);
}

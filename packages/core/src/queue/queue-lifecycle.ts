import { ApiError, CancelledError, ConnectionError, type FieldError, InputError } from '../errors.js';
import { defaultEndpoint } from '../generated/endpoints.js';
import { createRetryContext } from '../retry-context.js';
import type { RetryPolicy } from '../retry-policy.js';
import type { Sleep, Transport } from '../transport/transport.js';
import type {
  AnyModelPath,
  CancelOutcome,
  InputFor,
  KontextResult,
  QueueStatus,
  QueueTicket,
  RequestRef,
  SubmitPath,
  TokenUsage,
} from '../types.js';
import { DEFAULT_BASE_URL, normalizeBaseUrl } from '../urls/base-url.js';
import { argumentProblem, isOptionsObject, readOptions, rules, throwIfProblems, type ArgumentRule } from '../validation/check-arguments.js';
import { endpointRule } from '../validation/endpoint.js';
import { jobAddress, type JobAddress } from './job-address.js';
import type { LifecycleContext } from './lifecycle-context.js';
import type * as QueueWork from './queue-work.js';
import type { RunOptions } from './run-job.js';

export interface QueueLifecycleOptions {
  transport: Transport;
  sleep: Sleep;
  /** Where fal's queue URLs are moved to. Default https://www.anyapi.vip. */
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  /**
   * Milliseconds one request attempt may take before it counts as a network failure (retried,
   * except a submit, which may have been accepted). Default 120 000; `Infinity` for no limit.
   * The status stream, which lasts as long as the job, is bound by it only until it opens.
   */
  requestTimeout?: number;
  now?: () => number;
  random?: () => number;
}

type DefaultPath = typeof defaultEndpoint;

export interface SubmitOptions<P extends SubmitPath = SubmitPath> {
  endpoint?: P;
  webhookUrl?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** The endpoint the job was submitted to, when `ref` is a bare request id. */
  endpoint?: SubmitPath;
}

/** AnyAPI's queue lifecycle, typed from the spec. */
export interface QueueLifecycle {
  /** Validates and queues a job; the ticket's URLs are already moved onto the base URL. */
  submit<P extends SubmitPath = DefaultPath>(input: InputFor<P>, options?: SubmitOptions<P>): Promise<QueueTicket>;
  status(ref: RequestRef, options?: CallOptions & { logs?: boolean }): Promise<QueueStatus>;
  result(ref: RequestRef, options?: CallOptions): Promise<KontextResult>;
  cancel(ref: RequestRef, options?: CallOptions): Promise<CancelOutcome>;
  usage(options?: { signal?: AbortSignal }): Promise<TokenUsage>;
  /** Submits, waits for the job to end, and returns its result. */
  run<P extends SubmitPath = DefaultPath>(input: InputFor<P>, options?: RunOptions<P>): Promise<KontextResult>;
  /**
   * `submit` to any fal-queue model path AnyAPI relays, `/owner/app[/sub...]`, listed in the spec
   * or not (e.g. a model AnyAPI added after this release). A listed path's input is still
   * checked against its schema; another's only to be an object, and the service's answer names
   * its fields. The job's status, result and cancel go to the path's app, its first two segments.
   */
  submitAny(path: AnyModelPath, input: Record<string, unknown>, options?: Omit<SubmitOptions, 'endpoint'>): Promise<QueueTicket>;
  /** `run` on any model path, as `submitAny`; the result must have `images`, as fal's image models answer. */
  runAny(path: AnyModelPath, input: Record<string, unknown>, options?: Omit<RunOptions, 'endpoint'>): Promise<KontextResult>;
}

const isFunction = { allowed: 'a function', test: (value: unknown) => typeof value === 'function' };
const LIFECYCLE_OPTION_RULES = { sleep: isFunction, now: isFunction, random: isFunction };
const CALL_OPTION_RULES = { signal: rules.signal, endpoint: endpointRule };

/**
 * The request machinery loads on the first call, not with the core: `import` of the core stays
 * small (pnpm bench shows both sizes). Arguments are still all checked before anything is sent.
 */
let queueWork: Promise<typeof QueueWork> | undefined;
const loadQueueWork = () => (queueWork ??= import('./queue-work.js'));

/** Builds the lifecycle over any transport and sleep: this is what the n8n node runs on. */
export function createQueueLifecycle(options: QueueLifecycleOptions): QueueLifecycle {
  const problems: FieldError[] = [];
  const checked = readOptions('options', options, LIFECYCLE_OPTION_RULES, problems);
  if (isOptionsObject(options)) {
    if (!isTransport(options.transport)) {
      problems.push(argumentProblem('transport', 'an object with a send function', options.transport));
    }
    if (checked.sleep === undefined && !problems.some((p) => p.field === 'sleep')) {
      problems.push({ field: 'sleep', message: 'sleep is required: a function (ms, signal) => Promise<void>' });
    }
  } else if (options === undefined) {
    problems.push({ field: 'options', message: 'options is required: { transport, sleep, baseUrl? }' });
  }
  throwIfProblems(problems);
  const baseUrl = normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  const context: LifecycleContext = {
    ...createRetryContext({
      transport: options.transport,
      sleep: checked.sleep as Sleep,
      retry: options.retry,
      requestTimeout: options.requestTimeout,
      now: checked.now as (() => number) | undefined,
      random: checked.random as (() => number) | undefined,
    }),
    baseUrl,
    streamSupported: true,
    durations: new Map(),
    running: new Map(),
  };

  return {
    // Async, so that a bad argument rejects the promise rather than throwing where the call is made.
    async submit(input, submitOptions) {
      const { checkSubmitOptions, submitJob, validateInput } = await loadQueueWork();
      const { endpoint, webhookUrl } = checkSubmitOptions(submitOptions);
      const body = validateInput(input, endpoint);
      return submitJob(context, endpoint, body, webhookUrl);
    },
    async status(ref, statusOptions) {
      const { address, signal, logs } = checkJobCall(ref, statusOptions, true);
      return whileNotAborted(signal, address, 'Status', async () =>
        (await loadQueueWork()).getStatus(context, address, { ...(logs ? { logs } : {}), ...(signal ? { signal } : {}) }),
      );
    },
    async result(ref, resultOptions) {
      const { address, signal } = checkJobCall(ref, resultOptions);
      return whileNotAborted(signal, address, 'Result', async () => (await loadQueueWork()).getResult(context, address, signal ? { signal } : {}));
    },
    async cancel(ref, cancelOptions) {
      const { address, signal } = checkJobCall(ref, cancelOptions);
      return whileNotAborted(signal, address, 'Cancel', async () => (await loadQueueWork()).cancelJob(context, address, signal ? { signal } : {}));
    },
    async usage(usageOptions) {
      const problems: FieldError[] = [];
      const { signal } = readOptions('options', usageOptions, { signal: rules.signal }, problems) as { signal?: AbortSignal };
      throwIfProblems(problems);
      return whileNotAborted(signal, undefined, 'Usage', async () => (await loadQueueWork()).getUsage(context, signal ? { signal } : {}));
    },
    async run(input, runOptions) {
      const { checkRunOptions, runJob, validateInput } = await loadQueueWork();
      const checkedOptions = checkRunOptions(runOptions);
      const body = validateInput(input, checkedOptions.endpoint);
      return runJob(context, body, checkedOptions);
    },
    async submitAny(path, input, submitOptions) {
      const { checkAnyCall, submitJob, validateAnyInput } = await loadQueueWork();
      const { endpoint, webhookUrl } = checkAnyCall(path, submitOptions, 'submit');
      return submitJob(context, endpoint, validateAnyInput(input, endpoint), webhookUrl);
    },
    async runAny(path, input, runOptions) {
      const { checkAnyCall, runJob, validateAnyInput } = await loadQueueWork();
      const checkedOptions = checkAnyCall(path, runOptions, 'run');
      return runJob(context, validateAnyInput(input, checkedOptions.endpoint), checkedOptions);
    },
  };
}

function isTransport(value: unknown): value is Transport {
  if (!isOptionsObject(value)) return false;
  const transport = value as Partial<Transport>;
  return typeof transport.send === 'function' && (transport.openEventStream === undefined || typeof transport.openEventStream === 'function');
}

/** Checks the ref and the options of status, result and cancel, before anything is sent. */
function checkJobCall(
  ref: unknown,
  options: unknown,
  takesLogs = false,
): { address: JobAddress; signal?: AbortSignal; logs?: boolean } {
  const problems: FieldError[] = [];
  const optionRules: Record<string, ArgumentRule> = takesLogs ? { ...CALL_OPTION_RULES, logs: rules.boolean } : CALL_OPTION_RULES;
  const values = readOptions('options', options, optionRules, problems) as {
    signal?: AbortSignal;
    endpoint?: SubmitPath;
    logs?: boolean;
  };
  let address: JobAddress | undefined;
  try {
    address = jobAddress(ref as RequestRef, values.endpoint ?? defaultEndpoint);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.unshift(...error.fieldErrors.filter((e) => !problems.some((p) => p.field === e.field)));
  }
  throwIfProblems(problems);
  return { address: address!, ...values };
}

/**
 * Runs one call; an abort of the caller's signal (before or during it) rejects with
 * CancelledError, and errors name the job the call was about.
 */
async function whileNotAborted<T>(
  signal: AbortSignal | undefined,
  address: JobAddress | undefined,
  call: string,
  send: () => Promise<T>,
): Promise<T> {
  const requestId = address?.requestId;
  const aborted = () =>
    new CancelledError(requestId, false, {
      message: `${call}${requestId ? ` of job ${requestId}` : ''} was aborted${call === 'Cancel' ? '' : '; nothing was changed on the server'}.`,
    });
  if (signal?.aborted) throw aborted();
  try {
    return await send();
  } catch (error) {
    if (signal?.aborted) throw aborted();
    if ((error instanceof ApiError || error instanceof ConnectionError) && requestId) error.requestId ??= requestId;
    throw error;
  }
}

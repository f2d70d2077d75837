import { InputError } from '../errors/lifecycle-errors.js';
import { defaultEndpoint } from '../generated/endpoints.js';
import { resolveRetryPolicy, type RetryPolicy } from '../retry/retry-policy.js';
import type { Sleep, Transport } from '../transport/transport.js';
import type {
  CancelOutcome,
  InputFor,
  KontextResult,
  QueueStatus,
  QueueTicket,
  RequestRef,
  SubmitPath,
  TokenUsage,
} from '../types.js';
import { DEFAULT_BASE_URL, normalizeBaseUrl } from '../urls/host-swap.js';
import { validateInput } from '../validation/validate-input.js';
import { jobAddress } from './job-address.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { cancelJob, getResult, getStatus, getUsage, submitJob } from './queue-calls.js';
import { checkRunOptions, runJob, type RunOptions } from './run-job.js';

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
}

/** Builds the lifecycle over any transport and sleep: this is what the n8n node runs on. */
export function createQueueLifecycle(options: QueueLifecycleOptions): QueueLifecycle {
  const context: LifecycleContext = {
    transport: options.transport,
    sleep: options.sleep,
    baseUrl: normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL),
    retry: resolveRetryPolicy(options.retry),
    requestTimeout: resolveRequestTimeout(options.requestTimeout),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    streamSupported: true,
    durations: new Map(),
  };

  return {
    async submit(input, submitOptions = {}) {
      const endpoint = submitOptions.endpoint ?? defaultEndpoint;
      const body = validateInput(input, endpoint);
      checkRunOptions(submitOptions);
      return submitJob(context, endpoint, body, submitOptions.webhookUrl);
    },
    // Async so that a bad ref rejects the promise rather than throwing where the call is made.
    async status(ref, { endpoint, logs, signal } = {}) {
      return getStatus(context, jobAddress(ref, endpoint), { ...(logs ? { logs } : {}), ...(signal ? { signal } : {}) });
    },
    async result(ref, { endpoint, signal } = {}) {
      return getResult(context, jobAddress(ref, endpoint), signal ? { signal } : {});
    },
    async cancel(ref, { endpoint, signal } = {}) {
      return cancelJob(context, jobAddress(ref, endpoint), signal ? { signal } : {});
    },
    async usage(usageOptions = {}) {
      return getUsage(context, usageOptions);
    },
    async run(input, runOptions = {}) {
      const endpoint = runOptions.endpoint ?? defaultEndpoint;
      const body = validateInput(input, endpoint);
      checkRunOptions(runOptions);
      return runJob(context, endpoint, body, runOptions);
    },
  };
}

const DEFAULT_REQUEST_TIMEOUT = 120_000;

function resolveRequestTimeout(timeout: number | undefined): number | undefined {
  if (timeout === undefined) return DEFAULT_REQUEST_TIMEOUT;
  if (timeout === Infinity) return undefined;
  if (!(Number.isFinite(timeout) && timeout > 0)) {
    throw new InputError([
      { field: 'requestTimeout', message: `requestTimeout must be a number of milliseconds above 0, or Infinity (got ${String(timeout)})` },
    ]);
  }
  return timeout;
}

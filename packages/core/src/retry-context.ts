// The context every request is sent under (sendWithRetry's), built in one place from a
// client's options: by the queue lifecycle and by the raw client. Apart from retry-policy.ts,
// which the image download also loads, so that `import` of the core loads this with the
// lifecycle and no extra chunk (pnpm bench --only size).
import { InputError } from './errors.js';
import { resolveRetryPolicy } from './retry-policy.js';
import type { RetryContext } from './retry.js';
import type { Sleep, Transport } from './transport/transport.js';
import { argumentProblem } from './validation/check-arguments.js';

const DEFAULT_REQUEST_TIMEOUT = 120_000;

/** A `requestTimeout` option checked: undefined means no limit. */
export function resolveRequestTimeout(timeout: unknown): number | undefined {
  if (timeout === undefined) return DEFAULT_REQUEST_TIMEOUT;
  if (timeout === Infinity) return undefined;
  if (!(typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)) {
    throw new InputError([argumentProblem('requestTimeout', 'a number of milliseconds above 0, or Infinity', timeout)]);
  }
  return timeout;
}

/**
 * What sendWithRetry needs, from a client's options: `retry` and `requestTimeout` are checked
 * here (a bad one is an InputError naming it, before anything is sent).
 */
export function createRetryContext(options: {
  transport: Transport;
  sleep: Sleep;
  retry?: unknown;
  requestTimeout?: unknown;
  now?: (() => number) | undefined;
  random?: (() => number) | undefined;
}): RetryContext {
  return {
    transport: options.transport,
    sleep: options.sleep,
    retry: resolveRetryPolicy(options.retry),
    requestTimeout: resolveRequestTimeout(options.requestTimeout),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
}

import { InputError } from '../errors/lifecycle-errors.js';
import { createQueueLifecycle, type QueueLifecycle } from '../queue/queue-lifecycle.js';
import type { RetryPolicy } from '../retry/retry-policy.js';
import { DEFAULT_BASE_URL, normalizeBaseUrl } from '../urls/host-swap.js';
import { createFetchTransport } from './fetch-transport.js';
import { createRawClient, type RawClient } from './raw-client.js';
import { nodeSleep } from './sleep.js';

export interface KontextClientOptions {
  /** Your AnyAPI key; sent as a bearer token and never shown in errors. Default: `ANYAPI_API_KEY`. */
  apiKey?: string;
  /** Default: `ANYAPI_BASE_URL`, else https://www.anyapi.vip. */
  baseUrl?: string;
  /** A fetch to send with, e.g. one with a proxy agent. Default: the global fetch. */
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Milliseconds one request attempt may take; default 120 000, `Infinity` for no limit. */
  requestTimeout?: number;
}

export interface KontextClient extends QueueLifecycle {
  /** The typed openapi-fetch client, with auth, for calls the lifecycle does not cover. */
  raw: RawClient;
}

const REDACTED = '[redacted]';

export function createKontextClient(options: KontextClientOptions = {}): KontextClient {
  const apiKey = options.apiKey ?? process.env.ANYAPI_API_KEY;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new InputError([
      { field: 'apiKey', message: 'apiKey is required: pass your AnyAPI key, or set the ANYAPI_API_KEY environment variable' },
    ]);
  }
  const baseUrl = normalizeBaseUrl(options.baseUrl ?? (process.env.ANYAPI_BASE_URL?.trim() || DEFAULT_BASE_URL));
  const raw = createRawClient({ apiKey, baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  // A server that echoes the key in an error body must not put it in our error messages.
  const redact = (text: string) => text.split(apiKey).join(REDACTED);
  const lifecycle = createQueueLifecycle({
    transport: createFetchTransport(raw, redact),
    sleep: nodeSleep,
    baseUrl,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.requestTimeout !== undefined ? { requestTimeout: options.requestTimeout } : {}),
  });
  return { ...lifecycle, raw };
}

import { createQueueLifecycle, type QueueLifecycle } from '../queue/queue-lifecycle.js';
import { readClientOptions, type KontextClientOptions } from './client-options.js';
import { createFetchTransport } from './fetch-transport.js';
import { nodeSleep } from './sleep.js';

export type { KontextClientOptions } from './client-options.js';

/** The queue lifecycle over fetch. For calls it does not cover, `createRawClient` from `@anyapi-kontext/core/fetch`. */
export type KontextClient = QueueLifecycle;

/**
 * A client for AnyAPI. Every option is checked here, before anything is sent: a bad one is an
 * InputError naming it (the key's problem is described, never quoted).
 */
export function createKontextClient(options: KontextClientOptions = {}): KontextClient {
  const { apiKey, baseUrl, fetch, retry, requestTimeout } = readClientOptions(options);
  return createQueueLifecycle({
    transport: createFetchTransport({ apiKey, baseUrl, ...(fetch ? { fetch } : {}) }),
    sleep: nodeSleep,
    baseUrl,
    ...(retry !== undefined ? { retry } : {}),
    ...(requestTimeout !== undefined ? { requestTimeout } : {}),
  });
}

import {
  createFetchTransport,
  createQueueLifecycle,
  nodeSleep,
  type QueueLifecycle,
  type RetryPolicy,
} from '../../src/index.js';

/**
 * A lifecycle over the real fetch transport whose waits are recorded and shortened, so tests
 * can assert on backoff and Retry-After without waiting for them.
 */
export function recordingLifecycle(
  url: string,
  apiKey: string,
  retry: Partial<RetryPolicy> = {},
): { lifecycle: QueueLifecycle; delays: number[] } {
  const delays: number[] = [];
  const lifecycle = createQueueLifecycle({
    transport: createFetchTransport({ apiKey, baseUrl: url }),
    sleep: (ms, signal) => {
      delays.push(ms);
      return nodeSleep(Math.min(ms, 5), signal);
    },
    baseUrl: url,
    retry: { jitter: 0, ...retry },
    // Its shortened sleep would also cut every request's deadline to 5 ms.
    requestTimeout: Infinity,
  });
  return { lifecycle, delays };
}

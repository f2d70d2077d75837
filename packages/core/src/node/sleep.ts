import type { Sleep } from '../transport/transport.js';

/** The longest delay setTimeout keeps; a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The default sleep, on Node's timers. A wait past a timer's range (about 24.8 days) is waited in parts. */
export const nodeSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const part = Math.min(ms, MAX_TIMER_MS);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      if (ms > part) nodeSleep(ms - part, signal).then(resolve, reject);
      else resolve();
    }, part);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

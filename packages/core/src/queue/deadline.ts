import type { Sleep } from '../transport/transport.js';

export interface Deadline {
  /** Aborts when the caller's signal does, when the time is up, or on `abort()`. */
  readonly signal: AbortSignal;
  /**
   * `work`, unless the signal aborts first: then it rejects with the abort's reason at once,
   * whether or not `work` heeds the signal (a transport may answer an abort late or never; a
   * late answer is passed to `discard`).
   */
  race<T>(work: Promise<T>, discard?: (late: T) => void): Promise<T>;
  /** True once the time ran out (rather than the caller aborting). */
  readonly expired: boolean;
  /** Ends the wait now, for a reason of our own. */
  abort(): void;
  /** Stops the clock but keeps following the caller's signal, e.g. once a stream has opened. */
  stopClock(): void;
  /** Stops the clock and lets go of the caller's signal; call it when the attempt is over. */
  release(): void;
}

/**
 * A signal that follows the caller's and also aborts after `timeout` ms (none when undefined),
 * telling the two apart. It bounds a whole run, one request attempt, and the opening of the
 * status stream, so a server that accepts the connection and never answers cannot hold a call
 * for the transport's own idle limit (minutes, for Node's fetch).
 */
export function startDeadline(sleep: Sleep, timeout: number | undefined, callerSignal?: AbortSignal): Deadline {
  const controller = new AbortController();
  const clock = new AbortController();
  let expired = false;
  const followCaller = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) followCaller();
  else callerSignal?.addEventListener('abort', followCaller, { once: true });
  if (timeout !== undefined) {
    sleep(timeout, clock.signal).then(
      () => {
        expired = true;
        controller.abort();
      },
      () => undefined,
    );
  }
  return {
    signal: controller.signal,
    race<T>(work: Promise<T>, discard?: (late: T) => void): Promise<T> {
      const { signal } = controller;
      return new Promise<T>((resolve, reject) => {
        const stop = () => reject(signal.reason);
        if (signal.aborted) stop();
        else signal.addEventListener('abort', stop, { once: true });
        // Settling after `stop` is a no-op; a value that comes after it is discarded, once.
        work.then(
          (value) => {
            signal.removeEventListener('abort', stop);
            if (signal.aborted) discard?.(value);
            else resolve(value);
          },
          (error: unknown) => {
            signal.removeEventListener('abort', stop);
            reject(error);
          },
        );
      });
    },
    get expired() {
      return expired;
    },
    abort() {
      controller.abort();
    },
    stopClock() {
      clock.abort();
    },
    release() {
      clock.abort();
      callerSignal?.removeEventListener('abort', followCaller);
    },
  };
}

/** What a timed-out attempt counts as: the request went out and no answer came back. */
export function attemptTimedOut(timeout: number): Error & { code: string } {
  return Object.assign(new Error(`no answer within ${timeout} ms`), { code: 'ETIMEDOUT' });
}

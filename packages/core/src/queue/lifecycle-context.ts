import type { RetryPolicy } from '../retry/retry-policy.js';
import type { Sleep, Transport } from '../transport/transport.js';
import type { DurationHistory } from './poll-plan.js';

/** What every queue call needs; built once by `createQueueLifecycle`. */
export interface LifecycleContext {
  transport: Transport;
  sleep: Sleep;
  baseUrl: string;
  retry: RetryPolicy;
  /** Milliseconds one request attempt (or opening the status stream) may take; undefined: no limit. */
  requestTimeout: number | undefined;
  now: () => number;
  random: () => number;
  /** Learned on the first try: false once the server showed it has no status stream. */
  streamSupported: boolean;
  /** How long each endpoint's recent jobs ran (from `metrics.inference_time`), for adaptive polling. */
  durations: Map<string, DurationHistory>;
}

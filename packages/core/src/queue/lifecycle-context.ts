import type { RetryContext } from '../retry.js';
import type { DurationHistory } from './poll-plan.js';

/**
 * What every queue call needs; built once by `createQueueLifecycle`. Its `requestTimeout` also
 * bounds the opening of the status stream.
 */
export interface LifecycleContext extends RetryContext {
  baseUrl: string;
  /** Learned on the first try: false once the server showed it has no status stream. */
  streamSupported: boolean;
  /** How long each endpoint's recent jobs ran (from `metrics.inference_time`), for adaptive polling. */
  durations: Map<string, DurationHistory>;
  /** Each endpoint's jobs being polled now: evidence for one another's polling plans. */
  running: Map<string, Set<RunningJob>>;
}

export interface RunningJob {
  /** When the job started, our clock; undefined while not known. */
  startedAt: number | undefined;
  /** Cuts the job's sleep short so that it plans again; set while it sleeps. */
  wake: (() => void) | undefined;
}

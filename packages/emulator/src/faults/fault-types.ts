import type { RouteName } from '../counters.js';

/**
 * How to drop a request: destroy the connection without an answer. `before-accept` drops it
 * before anything happens; `after-accept` lets the route do its work (a submit queues its job)
 * and then drops the answer, which is what makes a blind submit retry dangerous.
 */
export type DropMode = 'before-accept' | 'after-accept';

/** One route's injected failure. See README "Fault knobs". */
export interface RouteFault {
  /** Answer this HTTP status instead of the real answer. */
  status?: number;
  /** Fire on this share of requests (0..1), rolled per request. */
  rate?: number;
  /** Fire on the next N requests only (deterministic). Wins over `rate`. */
  times?: number;
  /** Value of the `Retry-After` header on the error answer. */
  retryAfter?: string | number;
  /** Value of the `X-Fal-Retryable` header on the error answer. */
  retryable?: boolean;
  /** Value of the `x-fal-error-type` header on the error answer. */
  errorType?: string;
  /** Body of the error answer; `{detail: "..."}` by default. */
  body?: unknown;
  /** Milliseconds to wait before answering (or dropping). */
  latency?: number;
  /** Destroy the connection instead of answering; `true` means `before-accept`. */
  drop?: boolean | DropMode;
  /**
   * The `stream` route only: send this text as one event's data before the job's own events,
   * e.g. text that is not JSON, as a relay that rewrites the stream might.
   */
  event?: string;
}

export type FaultTable = Partial<Record<RouteName, RouteFault>>;

/** What the injector decided for one request. */
export interface FaultDecision {
  latency: number;
  drop: DropMode | undefined;
  error: FaultError | undefined;
  /** An event the status stream sends first (`RouteFault.event`). */
  event: string | undefined;
}

export interface FaultError {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The routes the emulator serves, as counters and fault tables name them. */
export const ROUTE_NAMES = ['submit', 'status', 'stream', 'result', 'cancel', 'usage', 'files'] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];

/**
 * Request counts. Per route: every request that reached it, whatever the answer (401s and
 * injected faults included). `submits`: jobs accepted. `cancels`: cancel requests that reached
 * a known job (202 or 400). `webhooks`: webhook delivery attempts; `webhooksDelivered` and
 * `webhooksFailed`: deliveries that ended, accepted or given up after the last retry. `total`: every request,
 * unknown paths included, so a test can prove a client sent nothing at all.
 */
export type Counters = Record<RouteName, number> & {
  submits: number;
  cancels: number;
  webhooks: number;
  webhooksDelivered: number;
  webhooksFailed: number;
  total: number;
};

type CounterName = keyof Counters;

export class RequestCounters {
  private readonly values: Counters = emptyCounters();

  increment(name: CounterName): void {
    this.values[name] += 1;
  }

  /** A copy, so a test can keep a "before" snapshot and compare it with a later one. */
  snapshot(): Counters {
    return { ...this.values };
  }

  reset(): void {
    Object.assign(this.values, emptyCounters());
  }
}

function emptyCounters(): Counters {
  return {
    submit: 0,
    status: 0,
    stream: 0,
    result: 0,
    cancel: 0,
    usage: 0,
    files: 0,
    submits: 0,
    cancels: 0,
    webhooks: 0,
    webhooksDelivered: 0,
    webhooksFailed: 0,
    total: 0,
  };
}

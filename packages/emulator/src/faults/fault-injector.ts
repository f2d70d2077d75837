import type { RouteName } from '../counters.js';
import type { RandomSource } from '../random.js';
import type { DropMode, FaultDecision, FaultError, FaultTable, RouteFault } from './fault-types.js';

/**
 * Decides, per request, whether a route's configured fault fires. A fault fires on the next
 * `times` requests if `times` is set, else on a `rate` share of requests, else on every request.
 * When it fires it adds its latency, then drops the connection or answers its error status (a
 * status stream may instead send its event first).
 */
export class FaultInjector {
  private table: FaultTable = {};
  /** Remaining `times` per route, kept apart so the caller's object is never mutated. */
  private remaining = new Map<RouteName, number>();

  constructor(
    table: FaultTable,
    private readonly random: RandomSource,
  ) {
    this.replace(table);
  }

  /** Replaces the whole table; routes it does not name have no fault afterwards. */
  replace(table: FaultTable): void {
    this.table = { ...table };
    this.remaining = new Map();
    for (const [route, fault] of Object.entries(this.table) as [RouteName, RouteFault | undefined][]) {
      if (fault?.times !== undefined) this.remaining.set(route, fault.times);
    }
  }

  decide(route: RouteName): FaultDecision | undefined {
    const fault = this.table[route];
    if (!fault || !this.fires(route, fault)) return undefined;
    return {
      latency: Math.max(0, fault.latency ?? 0),
      drop: dropMode(fault.drop),
      error: fault.status === undefined ? undefined : errorAnswer(fault, fault.status),
      event: fault.event,
    };
  }

  private fires(route: RouteName, fault: RouteFault): boolean {
    const left = this.remaining.get(route);
    if (left !== undefined) {
      if (left <= 0) return false;
      this.remaining.set(route, left - 1);
      return true;
    }
    if (fault.rate !== undefined) return this.random.next() < fault.rate;
    return true;
  }
}

function dropMode(drop: RouteFault['drop']): DropMode | undefined {
  if (drop === true) return 'before-accept';
  if (drop === false || drop === undefined) return undefined;
  return drop;
}

function errorAnswer(fault: RouteFault, status: number): FaultError {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  if (fault.retryable !== undefined) headers['x-fal-retryable'] = String(fault.retryable);
  if (fault.errorType !== undefined) headers['x-fal-error-type'] = fault.errorType;
  return { status, headers, body: fault.body ?? { detail: `Emulated fault: HTTP ${status}` } };
}

import type { JobCancelOutcome } from '../errors.js';
import type { Sleep } from '../transport/transport.js';
import { startDeadline } from './deadline.js';
import type { JobAddress } from './job-address.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { cancelJob } from './queue-calls.js';

/**
 * How long a run that ends early (abort, timeout, a callback that threw, an error) waits for
 * the server to confirm the job's cancel, counted from the moment it started to end. Past it
 * the run rejects anyway, saying the cancel is not confirmed: an abort must be prompt even
 * when the server is slow or failing.
 */
export const CANCEL_GRACE_MS = 800;

/** How long the cancel may go on in the background after that, retries included: it ends by itself. */
export const CANCEL_BUDGET_MS = 30_000;

/** The grace period of a run that is ending; started once, by whatever ends the run first. */
export interface EndingGrace {
  /** Starts the clock (again: no effect) and resolves when the grace is over. */
  start(): Promise<void>;
  /** Stops the clock; call it when the run is over. */
  release(): void;
}

export function endingGrace(sleep: Sleep): EndingGrace {
  const clock = new AbortController();
  let over: Promise<void> | undefined;
  return {
    start() {
      over ??= sleep(CANCEL_GRACE_MS, clock.signal).catch(() => undefined);
      return over;
    },
    release() {
      clock.abort();
    },
  };
}

/**
 * Sends the job's cancel and waits for the answer until the grace is over. The cancel itself
 * goes on (bounded by CANCEL_BUDGET_MS) when the grace runs out first: `PENDING`.
 */
export async function cancelWithinGrace(
  context: LifecycleContext,
  address: JobAddress,
  grace: EndingGrace,
): Promise<JobCancelOutcome> {
  const attempt = cancelInBackground(context, address);
  return Promise.race([attempt, grace.start().then(() => 'PENDING' as const)]);
}

/** The job's cancel, bounded in time; settles with its outcome, never rejects. */
export function cancelInBackground(context: LifecycleContext, address: JobAddress): Promise<JobCancelOutcome> {
  const budget = startDeadline(context.sleep, CANCEL_BUDGET_MS);
  return cancelJob(context, address, { signal: budget.signal })
    .catch(() => 'FAILED' as const)
    .finally(() => budget.release());
}

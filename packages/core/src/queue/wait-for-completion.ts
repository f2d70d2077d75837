import type { QueueStatus, QueueUpdate } from '../types.js';
import { swapQueueUrls } from '../urls/host-swap.js';
import { startDeadline } from './deadline.js';
import { eventData, statusEvent } from './event-stream.js';
import { jobParameters, type JobAddress } from './job-address.js';
import type { LifecycleContext, RunningJob } from './lifecycle-context.js';
import { nextPollDelay, observeStatus, startWatch, withDuration } from './poll-plan.js';
import { getStatus } from './queue-calls.js';
import { JOB_PATHS, specRequest } from './spec-requests.js';

export interface WaitOptions {
  signal: AbortSignal;
  /** A fixed interval between polls; undefined polls adaptively (see poll-plan.ts). */
  pollInterval: number | undefined;
  useStream: boolean;
  onUpdate?: ((update: QueueUpdate) => void) | undefined;
  /** Whose finished jobs' durations guide the polling: the endpoint the job was submitted to. */
  historyKey: string;
  /** The job was just queued with this position: adaptive polling does not ask again at once. */
  justQueued?: { queuePosition: number | undefined } | undefined;
}

/** The status a job ends in: COMPLETED (its result may still be an error) or FAILED. */
export type FinalStatus = Extract<QueueStatus, { status: 'COMPLETED' | 'FAILED' }>;

const isFinal = (status: QueueStatus): status is FinalStatus =>
  status.status === 'COMPLETED' || status.status === 'FAILED';

/**
 * Waits until the job ends. Follows the status stream when the server offers one and falls
 * back to polling when it does not, or when the stream breaks before the job ends.
 */
export async function waitForCompletion(
  context: LifecycleContext,
  address: JobAddress,
  options: WaitOptions,
): Promise<FinalStatus> {
  const report = updateReporter(address.requestId, options.onUpdate);
  if (options.useStream && context.streamSupported && context.transport.openEventStream) {
    const final = await followStream(context, address, options, report);
    if (final) return final;
  }
  return options.pollInterval === undefined
    ? await pollAdaptively(context, address, options, report)
    : await pollEvery(options.pollInterval, context, address, options.signal, report);
}

async function pollEvery(
  interval: number,
  context: LifecycleContext,
  address: JobAddress,
  signal: AbortSignal,
  report: (status: QueueStatus) => void,
): Promise<FinalStatus> {
  for (;;) {
    const status = await getStatus(context, address, { logs: true, signal });
    report(status);
    if (isFinal(status)) return status;
    await context.sleep(interval, signal);
  }
}

/** Polls when the answer is likely to have changed, and learns how long this endpoint's jobs take. */
async function pollAdaptively(
  context: LifecycleContext,
  address: JobAddress,
  options: WaitOptions,
  report: (status: QueueStatus) => void,
): Promise<FinalStatus> {
  const { signal, historyKey } = options;
  let watch = startWatch(context.now(), options.justQueued?.queuePosition);
  // This job's run so far is evidence for the client's other jobs of the endpoint, and theirs for it.
  const mine: RunningJob = { startedAt: undefined, wake: undefined };
  const running = context.running.get(historyKey) ?? new Set();
  context.running.set(historyKey, running);
  running.add(mine);
  const planDelay = () => {
    const now = context.now();
    const others: number[] = [];
    for (const job of running) if (job !== mine && job.startedAt !== undefined) others.push(Math.max(0, now - job.startedAt));
    return nextPollDelay(watch, context.durations.get(historyKey) ?? [], now, undefined, others);
  };
  try {
    // A job picked up after a broken stream, or by request id alone, may be far along: ask now.
    let delay = options.justQueued ? planDelay() : 0;
    for (;;) {
      // Another job of the endpoint that ends says more about how long they take: plan again.
      while (delay > 0) delay = (await sleepUnlessWoken(context, delay, signal, mine)) ? planDelay() : 0;
      const sentAt = context.now();
      const status = await getStatus(context, address, { logs: true, signal });
      report(status);
      if (isFinal(status)) {
        context.durations.set(historyKey, withDuration(context.durations.get(historyKey) ?? [], status));
        for (const other of running) if (other !== mine) other.wake?.();
        return status;
      }
      watch = observeStatus(watch, status, sentAt, context.now());
      mine.startedAt = watch.startedAt;
      delay = planDelay();
    }
  } finally {
    running.delete(mine);
    if (running.size === 0) context.running.delete(historyKey);
  }
}

/** Sleeps `ms` unless the caller aborts (throws) or another job wakes this one (returns true). */
async function sleepUnlessWoken(context: LifecycleContext, ms: number, signal: AbortSignal, job: RunningJob): Promise<boolean> {
  const sleeping = new AbortController();
  const abort = () => sleeping.abort(signal.reason);
  signal.addEventListener('abort', abort, { once: true });
  let woken = false;
  job.wake = () => {
    woken = true;
    sleeping.abort();
  };
  try {
    await context.sleep(ms, sleeping.signal);
    return false;
  } catch (error) {
    if (signal.aborted || !woken) throw error;
    return true;
  } finally {
    job.wake = undefined;
    signal.removeEventListener('abort', abort);
  }
}

async function followStream(
  context: LifecycleContext,
  address: JobAddress,
  { signal, historyKey }: WaitOptions,
  report: (status: QueueStatus) => void,
): Promise<FinalStatus | undefined> {
  let stream;
  const deadline = startDeadline(context.sleep, context.requestTimeout, signal);
  try {
    stream = await deadline.race(
      context.transport.openEventStream!(
        specRequest('get', JOB_PATHS.statusStream, jobParameters(address), { query: { logs: 1 }, signal: deadline.signal }),
      ),
      (late) => late.close(),
    );
    deadline.stopClock();
  } catch (error) {
    deadline.release();
    if (signal.aborted) throw error;
    // No headers in time: a relay that holds the stream back until the job ends. Poll instead.
    if (deadline.expired) context.streamSupported = false;
    return undefined; // polling has retries of its own
  }
  const isEventStream = (stream.headers['content-type'] ?? '').startsWith('text/event-stream');
  if (stream.status !== 200 || !isEventStream) {
    stream.close();
    deadline.release();
    if (stream.status === 404 || stream.status === 405 || (stream.status === 200 && !isEventStream)) {
      context.streamSupported = false;
    }
    return undefined;
  }
  // The caller's abort must end the wait even when the transport does not error a body it is
  // already reading (seen with Node's fetch): race every read against it.
  let stopWaiting = () => {};
  const aborted = new Promise<never>((_, reject) => {
    stopWaiting = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) stopWaiting();
    else signal.addEventListener('abort', stopWaiting, { once: true });
  });
  aborted.catch(() => undefined);
  const events = eventData(stream.chunks)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([events.next(), aborted]);
      if (next.done) break;
      const data = next.value;
      const status = statusEvent(data);
      if (!status) continue;
      const swapped = swapQueueUrls(status, context.baseUrl);
      report(swapped);
      if (isFinal(swapped)) {
        context.durations.set(historyKey, withDuration(context.durations.get(historyKey) ?? [], swapped));
        return swapped;
      }
    }
  } catch (error) {
    if (signal.aborted) throw error;
  } finally {
    signal.removeEventListener('abort', stopWaiting);
    void events.return?.(undefined)?.catch(() => undefined);
    stream.close();
    deadline.release();
  }
  return undefined;
}

/** Calls `onUpdate` only when something a watcher can see has changed. */
function updateReporter(requestId: string, onUpdate: WaitOptions['onUpdate']) {
  let last = '';
  return (status: QueueStatus) => {
    if (!onUpdate) return;
    const update: QueueUpdate = {
      requestId,
      status: status.status,
      logs: 'logs' in status && Array.isArray(status.logs) ? status.logs : [],
      ...(status.status === 'IN_QUEUE' && typeof status.queue_position === 'number'
        ? { queuePosition: status.queue_position }
        : {}),
    };
    const key = `${update.status}:${update.queuePosition ?? ''}:${update.logs.length}`;
    if (key === last) return;
    last = key;
    onUpdate(update);
  };
}

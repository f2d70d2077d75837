import type { Job } from './job.js';
import { cancelled, requestTimedOut } from './job-endings.js';

/**
 * `stop` ends the run wherever it is (the job has already been ended by whoever aborted);
 * `hurry` lets it skip the rest of its duration and finish normally.
 */
export type RunJob = (job: Job, stop: AbortSignal, hurry: AbortSignal) => Promise<void>;

interface RunningControls {
  stop: AbortController;
  hurry: AbortController;
}

export interface AddOptions {
  /** The caller's `x-fal-request-timeout`, in seconds: how long the job may wait to start. */
  startTimeoutSeconds?: number | undefined;
}

/** The longest delay setTimeout keeps; a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export type CancelAnswer = 'CANCELLATION_REQUESTED' | 'ALREADY_COMPLETED';

/**
 * The queue and its worker pool: at most `concurrency()` jobs run, the rest wait in order.
 * Whoever ends a job (the runner, a cancel, a start deadline), the queue sees it through the
 * job's change notification and hands the free worker to the next waiting job.
 */
export class JobQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly waiting: Job[] = [];
  private readonly running = new Map<Job, RunningControls>();
  private readonly deadlines = new Map<Job, NodeJS.Timeout>();
  private readonly endListeners: ((job: Job) => void)[] = [];
  private stopped = false;

  constructor(
    private readonly run: RunJob,
    private readonly concurrency: () => number,
  ) {}

  /** Queues the job and returns its queue position at submit time (0 = next to run). */
  add(job: Job, options: AddOptions = {}): number {
    this.jobs.set(job.id, job);
    const unsubscribe = job.onChange(() => {
      if (!job.hasEnded) return;
      unsubscribe();
      this.forget(job);
      for (const listener of this.endListeners) listener(job);
    });
    if (options.startTimeoutSeconds !== undefined) this.startDeadline(job, options.startTimeoutSeconds);
    const position = this.waiting.length;
    this.waiting.push(job);
    this.pump();
    return position;
  }

  get(requestId: string): Job | undefined {
    return this.jobs.get(requestId);
  }

  /** How many jobs wait ahead of this one, or undefined once it has left the queue. */
  positionOf(job: Job): number | undefined {
    const index = this.waiting.indexOf(job);
    return index < 0 ? undefined : index;
  }

  onJobEnded(listener: (job: Job) => void): void {
    this.endListeners.push(listener);
  }

  /** fal removes a queued job and signals a running one; either way the job ends now. */
  cancel(job: Job): CancelAnswer {
    if (job.hasEnded) return 'ALREADY_COMPLETED';
    job.addLog('Cancellation requested; stopping the request', 'WARN');
    this.running.get(job)?.stop.abort();
    job.end(cancelled());
    return 'CANCELLATION_REQUESTED';
  }

  /** Starts waiting jobs while workers are free; call it again when concurrency grows. */
  pump(): void {
    const waitingBefore = this.waiting.length;
    while (!this.stopped && this.running.size < this.concurrency() && this.waiting.length > 0) {
      const job = this.waiting.shift() as Job;
      // fal's x-fal-request-timeout is a deadline to start: once a runner has the job it runs on.
      this.clearDeadline(job);
      const controls: RunningControls = { stop: new AbortController(), hurry: new AbortController() };
      this.running.set(job, controls);
      void this.run(job, controls.stop.signal, controls.hurry.signal);
    }
    // Once for all the jobs started: every job still waiting moved up.
    if (this.waiting.length < waitingBefore) this.notifyWaiting();
  }

  /** Lets every running job finish now instead of at the end of its duration; returns how many. */
  hurryRunning(): number {
    for (const controls of this.running.values()) controls.hurry.abort();
    return this.running.size;
  }

  /** Aborts every job and timer so the process can exit; jobs are left as they were. */
  stop(): void {
    this.stopped = true;
    for (const controls of this.running.values()) controls.stop.abort();
    for (const timer of this.deadlines.values()) clearTimeout(timer);
    this.running.clear();
    this.deadlines.clear();
    this.waiting.length = 0;
  }

  /** Ends the job if it is still waiting in `seconds`: it leaves the queue with fal's 504. */
  private startDeadline(job: Job, seconds: number): void {
    // setTimeout fires at once past its range (about 24.8 days); no job waits that long anyway.
    if (seconds * 1000 > MAX_TIMER_MS) return;
    const timer = setTimeout(() => {
      if (job.hasEnded || !this.waiting.includes(job)) return;
      job.addLog(`No runner started the request within ${seconds} s (x-fal-request-timeout)`, 'ERROR');
      job.end(requestTimedOut(seconds));
    }, seconds * 1000);
    this.deadlines.set(job, timer);
  }

  private clearDeadline(job: Job): void {
    clearTimeout(this.deadlines.get(job));
    this.deadlines.delete(job);
  }

  private forget(job: Job): void {
    this.clearDeadline(job);
    const index = this.waiting.indexOf(job);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      this.notifyWaiting(index);
    }
    if (this.running.delete(job)) this.pump();
  }

  /** Jobs from `from` on moved up one place: their status (and streams) must say so. */
  private notifyWaiting(from = 0): void {
    for (const job of this.waiting.slice(from)) job.notifyChange();
  }
}

/** Where one job is, as the progress displays and the summary see it. */
export type JobPhase = 'waiting' | 'submitting' | 'queued' | 'running' | 'saving' | 'done' | 'failed' | 'cancelled';

export interface JobProgress {
  /** Position in the batch, from 0. */
  index: number;
  /** The input as the user named it. */
  label: string;
  phase: JobPhase;
  requestId?: string;
  /** The seed the result was made with, once done. */
  seed?: number;
  /** The server's queue position while queued (0 = next). */
  queuePosition?: number;
  /** When the job was handed to the API, and when it started running / ended (ms since epoch). */
  submittedAt?: number;
  runningAt?: number;
  finishedAt?: number;
  /** One line saying why the job failed or was cancelled. */
  error?: string;
  /** The files written for this job (images, then the sidecar). */
  outputs: string[];
}

export interface BatchProgress {
  jobs: JobProgress[];
  startedAt: number;
}

export function countJobs(jobs: readonly JobProgress[]) {
  const count = (phase: JobPhase) => jobs.filter((job) => job.phase === phase).length;
  const done = count('done');
  const failed = count('failed');
  const cancelled = count('cancelled');
  return { total: jobs.length, done, failed, cancelled, finished: done + failed + cancelled };
}

/** Receives every change of a job; implemented by the terminal and the plain-text displays. */
export interface ProgressReporter {
  update(job: JobProgress): void;
  /** A message for the user while the display is live (e.g. "cancelling..."), kept above it. */
  notice(line: string): void;
  /** Draws the final state and releases the terminal. */
  stop(): void;
}

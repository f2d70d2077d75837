import { setTimeout as sleep } from 'node:timers/promises';
import { preciseNow, type Job } from './job.js';
import { contentPolicyViolation, modelFailure } from './job-endings.js';
import { promptOf } from './job-types.js';
import { outputFor, renderImages, type OutputTarget } from './render-output.js';

/** The log lines a running job writes, at these shares of its duration. */
const PROGRESS_LOGS: readonly (readonly [share: number, message: (job: Job) => string])[] = [
  [0, (job) => `Starting ${job.endpoint.displayName} for request ${job.id}`],
  [0.25, () => 'Editing: 25% (step 7/28)'],
  [0.5, () => 'Editing: 50% (step 14/28)'],
  [0.75, () => 'Editing: 75% (step 21/28)'],
  [1, (job) => `Encoding ${job.input.num_images ?? 1} image(s) as ${job.input.output_format ?? 'jpeg'}`],
];

export interface RunnerContext {
  jobDuration(job: Job): number;
  /** Whether the run writes its progress log lines. */
  jobLogs(): boolean;
  outputTarget(): OutputTarget;
  onImagesDelivered(count: number): void;
}

/**
 * Runs one job for the configured duration, writing logs as it goes, then ends it the way
 * its outcome says. Its images are made while it runs, as a model's own encoding is part of
 * its time: a job ends when its duration says, not that plus the emulator's rendering (tens
 * of ms when several jobs end at once). An abort (cancel, deadline, shutdown) stops it
 * wherever it is; whoever aborted it has already ended the job. `hurry` skips the waiting
 * that is left.
 */
export async function runJob(job: Job, signal: AbortSignal, hurry: AbortSignal, context: RunnerContext): Promise<void> {
  // Read once: a configure() during the run should not stretch or shrink this job.
  const duration = context.jobDuration(job);
  const writeLogs = context.jobLogs();
  job.markStarted();
  const rendering = job.outcome === 'ok' ? renderImages(job) : Promise.resolve([]);
  // Awaited below, or dropped when the run is stopped first.
  rendering.catch(() => undefined);
  const startedAt = job.startedAt ?? preciseNow();
  try {
    for (const [share, message] of PROGRESS_LOGS) {
      // Each stage is timed from the start, so the timers' lateness does not add up over the stages.
      await waitUnlessHurried(Math.max(0, startedAt + duration * share - preciseNow()), signal, hurry);
      if (writeLogs) job.addLog(message(job));
    }
    if (job.outcome === 'failed') {
      job.addLog('CUDA error: the emulated model crashed ([fail] marker)', 'ERROR');
      job.end(modelFailure());
      return;
    }
    if (job.outcome === 'fail-at-result') {
      job.end(contentPolicyViolation(promptOf(job.input)));
      return;
    }
    const images = await rendering;
    if (signal.aborted) return;
    const output = outputFor(job, images, context.outputTarget());
    job.end({ kind: 'output', output });
    context.onImagesDelivered(output.images.length);
  } catch (error) {
    if (signal.aborted) return;
    job.addLog(`Emulator error: ${error instanceof Error ? error.message : String(error)}`, 'ERROR');
    job.end(modelFailure('the emulator could not produce the images.'));
  }
}

/** Waits `ms`, or less once hurried; rejects only when the run is stopped. */
async function waitUnlessHurried(ms: number, stop: AbortSignal, hurry: AbortSignal): Promise<void> {
  stop.throwIfAborted();
  if (hurry.aborted) return;
  try {
    await sleep(ms, undefined, { signal: AbortSignal.any([stop, hurry]) });
  } catch (error) {
    if (stop.aborted || !hurry.aborted) throw error;
  }
}

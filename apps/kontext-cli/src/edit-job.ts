import { basename, relative } from 'node:path';
import { CancelledError, detectImageType, downloadImage, type QueueUpdate } from '@anyapi-kontext/core';
import type { Connection } from './connection.js';
import { describeError } from './describe-error.js';
import type { EditJob } from './model-options.js';
import { writeOutputFile, type OutputPlan } from './output-files.js';
import type { JobProgress } from './progress/job-progress.js';
import { formatSidecar, optionsWithoutImage } from './sidecar.js';

export interface EditJobContext {
  connection: Connection;
  signal: AbortSignal;
  /** Milliseconds per job; the core cancels the job on the server when it runs out. */
  timeoutMs: number | undefined;
  overwrite: boolean;
  cwd: string;
  /** Called after every change of `progress`. */
  report(progress: JobProgress): void;
}

/**
 * Runs one edit from submit to files on disk, keeping `progress` up to date. Never throws:
 * a failure is recorded on the job, so the other jobs of the batch go on.
 */
export async function runEditJob(job: EditJob, plan: OutputPlan, progress: JobProgress, context: EditJobContext): Promise<void> {
  const { connection, signal, report } = context;
  const set = (changes: Partial<JobProgress>) => {
    Object.assign(progress, changes);
    report(progress);
  };
  set({ phase: 'submitting', submittedAt: Date.now() });
  try {
    const result = await connection.client.run(job.input, {
      signal,
      ...(context.timeoutMs ? { timeout: context.timeoutMs } : {}),
      onSubmit: (ticket) => set({ phase: 'queued', requestId: ticket.request_id, queuePosition: ticket.queue_position }),
      onUpdate: (update: QueueUpdate) => {
        if (update.status === 'IN_QUEUE') set({ phase: 'queued', queuePosition: update.queuePosition });
        else if (update.status === 'IN_PROGRESS' && progress.phase !== 'running') set({ phase: 'running', runningAt: Date.now() });
      },
    });
    set({ phase: 'saving', requestId: result.requestId });
    const images = [];
    for (const [i, image] of result.data.images.entries()) {
      const download = await downloadImage(image.url, { signal });
      const type = detectImageType(download.bytes);
      const path = plan.imagePath(i + 1, type?.extension ?? download.extension);
      await writeOutputFile(path, download.bytes, context.overwrite);
      progress.outputs.push(relative(context.cwd, path) || path);
      images.push({
        file: basename(path),
        width: image.width,
        height: image.height,
        contentType: type?.mime ?? download.contentType,
        nsfwConcepts: result.data.has_nsfw_concepts?.[i],
      });
    }
    const sidecar = formatSidecar({
      input: job.image.displayPath,
      requestId: result.requestId,
      seed: result.data.seed,
      prompt: job.input.prompt,
      options: optionsWithoutImage(job.input),
      images,
      baseUrl: connection.baseUrl,
      emulator: connection.emulator,
      finishedAt: new Date().toISOString(),
    });
    await writeOutputFile(plan.sidecarPath, sidecar, context.overwrite);
    progress.outputs.push(relative(context.cwd, plan.sidecarPath) || plan.sidecarPath);
    set({ phase: 'done', finishedAt: Date.now() });
  } catch (error) {
    const cancelled = signal.aborted || error instanceof CancelledError;
    set({
      phase: cancelled ? 'cancelled' : 'failed',
      finishedAt: Date.now(),
      error: describeSaveError(error),
      ...(error instanceof CancelledError && error.requestId ? { requestId: error.requestId } : {}),
    });
  }
}

function describeSaveError(error: unknown): string {
  if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
    return `${(error as NodeJS.ErrnoException).path ?? 'an output file'} appeared meanwhile; not overwritten (use --force)`;
  }
  return describeError(error);
}

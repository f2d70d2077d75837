import { basename } from 'node:path';
import { CancelledError, saveResultImages, type QueueUpdate } from '@anyapi-kontext/core';
import type { Connection } from './connection.js';
import { describeError } from './describe-error.js';
import { displayPath } from './display-path.js';
import { buildJobInput, type EditJob } from './model-options.js';
import { writeOutputFile, type OutputPlan } from './output-files.js';
import type { JobProgress } from './progress/job-progress.js';
import { formatSidecar, optionsInEffect } from './sidecar.js';

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
    const input = await buildJobInput(job);
    const result = await connection.client.run(input as never, {
      endpoint: job.model.path,
      signal,
      ...(context.timeoutMs ? { timeout: context.timeoutMs } : {}),
      onSubmit: (ticket) => set({ phase: 'queued', requestId: ticket.request_id, queuePosition: ticket.queue_position }),
      onUpdate: (update: QueueUpdate) => {
        if (update.status === 'IN_QUEUE') set({ phase: 'queued', queuePosition: update.queuePosition });
        else if (update.status === 'IN_PROGRESS' && progress.phase !== 'running') set({ phase: 'running', runningAt: Date.now() });
      },
    });
    set({ phase: 'saving', requestId: result.requestId, seed: result.data.seed });
    // The core names files <stem>.<n>.<ext> with the extension read from the bytes, and
    // creates them exclusively unless overwriting was asked for.
    const paths = await saveResultImages(result, plan.outDir, { baseName: job.stem, overwrite: context.overwrite, signal });
    progress.outputs.push(...paths.map((path) => displayPath(path, context.cwd)));
    const images = result.data.images.map((image, i) => ({
      file: basename(paths[i]!),
      width: image.width,
      height: image.height,
      contentType: image.content_type,
      nsfwConcepts: result.data.has_nsfw_concepts?.[i],
    }));
    const sidecar = formatSidecar({
      input: job.label,
      model: job.model.path,
      requestId: result.requestId,
      seed: result.data.seed,
      prompt: String(input.prompt ?? ''),
      options: optionsInEffect(job.model, input),
      images,
      baseUrl: connection.baseUrl,
      emulator: connection.emulator,
      finishedAt: new Date().toISOString(),
    });
    await writeOutputFile(plan.sidecarPath, sidecar, context.overwrite);
    progress.outputs.push(displayPath(plan.sidecarPath, context.cwd));
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

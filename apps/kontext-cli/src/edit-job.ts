import { basename } from 'node:path';
import {
  CancelledError,
  JobFailedError,
  saveResultImages,
  TimeoutError,
  type KontextResult,
  type QueueStatus,
  type AnyModelPath,
  type QueueUpdate,
} from '@anyapi-kontext/core';
import { collectSubmittedJob } from './collect-submitted-job.js';
import type { Connection } from './connection.js';
import type { JournalWriter } from './edit-journal.js';
import { describeError, ModelPathError } from './describe-error.js';
import { displayPath } from './display-path.js';
import { buildJobInput, type EditJob, type Model } from './models.js';
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
  /** Where submits, saved results and failures are recorded, so a rerun can resume. */
  journal: JournalWriter;
}

/** The job's line in the journal: its key, and the request an earlier run submitted, if any. */
export interface JournalPlan {
  key: string;
  endpoint: AnyModelPath;
  /** Set when an earlier run submitted the job and never saved its result: collect it. */
  submittedRequestId?: string;
}

/**
 * Runs one edit from submit to files on disk, keeping `progress` up to date. Never throws:
 * a failure is recorded on the job, so the other jobs of the batch go on.
 */
export async function runEditJob(
  job: EditJob,
  plan: OutputPlan,
  progress: JobProgress,
  context: EditJobContext,
  journalPlan: JournalPlan,
): Promise<void> {
  const { connection, signal, report, journal } = context;
  const set = (changes: Partial<JobProgress>) => {
    Object.assign(progress, changes);
    report(progress);
  };
  const record = { key: journalPlan.key, input: job.label };
  // The journal's write of a submit is awaited before the job counts as saved.
  let submitRecorded: Promise<void> = Promise.resolve();
  const onUpdate = (update: QueueUpdate) => {
    if (update.status === 'IN_QUEUE') set({ phase: 'queued', queuePosition: update.queuePosition });
    else if (update.status === 'IN_PROGRESS' && progress.phase !== 'running') set({ phase: 'running', runningAt: Date.now() });
  };
  const resumed = journalPlan.submittedRequestId;
  set(resumed ? { phase: 'queued', requestId: resumed, submittedAt: Date.now() } : { phase: 'submitting', submittedAt: Date.now() });
  try {
    const input = await buildJobInput(job);
    let result: KontextResult;
    if (resumed) {
      result = await collectSubmittedJob(connection.client, resumed, {
        endpoint: journalPlan.endpoint,
        signal,
        timeoutMs: context.timeoutMs,
        onStatus: (status) => onUpdate(statusUpdate(resumed, status)),
      });
    } else {
      // runAny checks a listed model's input against its schema, as run does; another path's is sent as given.
      result = await connection.client.runAny(job.model.path, input, {
        signal,
        ...(context.timeoutMs ? { timeout: context.timeoutMs } : {}),
        onSubmit: (ticket) => {
          submitRecorded = journal.append({ event: 'submitted', ...record, requestId: ticket.request_id, endpoint: journalPlan.endpoint });
          set({ phase: 'queued', requestId: ticket.request_id, queuePosition: ticket.queue_position });
        },
        onUpdate,
      });
    }
    await submitRecorded;
    set({ phase: 'saving', requestId: result.requestId, seed: result.data.seed });
    // The core names files <stem>.<n>.<ext> with the extension read from the bytes, and
    // creates them exclusively unless overwriting was asked for. A collected job may have been
    // half saved by the run that crashed: those files are its own.
    const overwrite = context.overwrite || resumed !== undefined;
    const paths = await saveResultImages(result, plan.outDir, { baseName: job.stem, overwrite, signal });
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
    await writeOutputFile(plan.sidecarPath, sidecar, overwrite);
    progress.outputs.push(displayPath(plan.sidecarPath, context.cwd));
    await journal.append({
      event: 'saved',
      ...record,
      requestId: result.requestId,
      outputs: [...paths.map((path) => basename(path)), basename(plan.sidecarPath)],
    });
    set({ phase: 'done', finishedAt: Date.now() });
  } catch (error) {
    await submitRecorded.catch(() => undefined);
    const cancelled = signal.aborted || error instanceof CancelledError;
    const requestId = (error instanceof CancelledError && error.requestId) || progress.requestId;
    if (requestId && jobIsGone(error)) {
      // A rerun submits it again; a job whose cancel was not confirmed stays "submitted" and is collected.
      await journal
        .append({ event: 'ended', ...record, requestId, outcome: cancelled ? 'cancelled' : 'failed', error: describeError(error) })
        .catch(() => undefined);
    }
    set({
      phase: cancelled ? 'cancelled' : 'failed',
      finishedAt: Date.now(),
      error: describeSaveError(error, job.model),
      ...(requestId ? { requestId } : {}),
    });
  }
}

/** True when the job will never have a result to collect: it failed, or its cancel was confirmed. */
function jobIsGone(error: unknown): boolean {
  if (error instanceof JobFailedError) return true;
  if (error instanceof CancelledError || error instanceof TimeoutError) return error.cancelled;
  return false;
}

/** A polled status as the update `client.run` would have reported. */
function statusUpdate(requestId: string, status: QueueStatus): QueueUpdate {
  const position = 'queue_position' in status ? status.queue_position : undefined;
  return { requestId, status: status.status, ...(typeof position === 'number' ? { queuePosition: position } : {}), logs: [] };
}

/** The job's error in one line; a path the spec does not list is named in it. */
function describeSaveError(error: unknown, model: Model): string {
  if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
    return `${(error as NodeJS.ErrnoException).path ?? 'an output file'} appeared meanwhile; not overwritten (use --force)`;
  }
  return describeError(model.listed ? error : new ModelPathError(model.path, error));
}

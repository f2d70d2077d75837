import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SubmitPath } from '@anyapi-kontext/core';
import { UsageError } from './command.js';
import { positiveInteger, positiveSeconds } from './command-line-numbers.js';
import { discoverInputs, type InputImage } from './discover-inputs.js';
import { journalKey, readJournal, type JournalState } from './edit-journal.js';
import { modelOptionsFromFlags, planEditJobs, type EditJob, type Model } from './models.js';
import { assertDistinctStems, assertNothingToOverwrite, ensureOutDir, planOutputs, type OutputPlan } from './output-files.js';

/** What the journal of an earlier run says about one job. */
export interface ResumePlan {
  key: string;
  endpoint: SubmitPath;
  /** new: submit it; submitted: collect the request an earlier run made; saved: done already, skip. */
  state: JournalState;
}

export interface EditBatch {
  model: Model;
  jobs: EditJob[];
  plans: OutputPlan[];
  resume: ResumePlan[];
  outDir: string;
  concurrency: number;
  timeoutMs: number | undefined;
  force: boolean;
  json: boolean;
}

/**
 * Everything `kontext edit` can find wrong is found here, before anything is submitted: flags,
 * inputs (none for a text-to-image model), the model options (checked against the model's
 * schema) and outputs that would be overwritten. Throws UsageError with one line.
 */
export async function planEditBatch(
  model: Model,
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  cwd: string,
): Promise<EditBatch> {
  const force = values.force === true;
  const concurrency = positiveInteger(values.concurrency, '--concurrency') ?? 4;
  const timeoutSeconds = positiveSeconds(values.timeout, '--timeout');
  const fit = values.original !== true;
  const images = await inputsFor(model, positionals, cwd, fit);
  const jobs = planEditJobs(model, images, modelOptionsFromFlags(model, values), fit);
  assertDistinctStems(jobs);
  const outDir = resolve(cwd, typeof values.out === 'string' ? values.out : 'out');
  const plans = jobs.map((job) =>
    planOutputs(outDir, job.stem, Number(job.options.num_images ?? 1), String(job.options.output_format ?? 'jpeg')),
  );
  const resume = await resumePlans(jobs, outDir, force);
  // Outputs of jobs the journal knows are this batch's own: only new jobs must not overwrite.
  if (!force) await assertNothingToOverwrite(plans.filter((_, i) => resume[i]!.state.kind === 'new'), cwd);
  await ensureOutDir(outDir);
  return {
    model,
    jobs,
    plans,
    resume,
    outDir,
    concurrency,
    timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
    force,
    json: values.json === true,
  };
}

async function inputsFor(model: Model, positionals: string[], cwd: string, fit: boolean): Promise<InputImage[]> {
  if (model.imageInput !== 'none') return await discoverInputs(positionals, cwd, { fit });
  if (positionals.length > 0) {
    throw new UsageError(`${model.name} makes an image from the prompt alone: give no input files (got ${positionals.join(' ')})`);
  }
  return [];
}

/**
 * Reads the journal an earlier run left in the output folder. A saved job whose files are all
 * still there is skipped (unless --force asks to redo it); a submitted one is collected.
 */
async function resumePlans(jobs: EditJob[], outDir: string, force: boolean): Promise<ResumePlan[]> {
  const states = await readJournal(outDir);
  return Promise.all(
    jobs.map(async (job): Promise<ResumePlan> => {
      const endpoint = job.model.path as SubmitPath;
      const key = await journalKey(
        job.images.map((image) => image.absolutePath),
        endpoint,
        job.options,
      );
      let state = states.get(key) ?? { kind: 'new' };
      if (state.kind === 'saved' && (force || !(await allExist(state.outputs.map((file) => join(outDir, file)))))) {
        state = { kind: 'new' };
      }
      return { key, endpoint, state };
    }),
  );
}

async function allExist(paths: string[]): Promise<boolean> {
  const found = await Promise.all(paths.map((path) => access(path).then(() => true, () => false)));
  return found.every(Boolean);
}

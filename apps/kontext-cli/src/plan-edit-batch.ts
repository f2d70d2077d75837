import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AnyModelPath } from '@anyapi-kontext/core';
import { UsageError } from './command.js';
import { positiveInteger, positiveSeconds } from './command-line-numbers.js';
import { discoverInputs, type InputImage } from './discover-inputs.js';
import { journalKey, readJournal, type JournalState } from './edit-journal.js';
import { modelOptionsFromFlags, planEditJobs, type EditJob, type Model } from './models.js';
import { assertDistinctStems, assertNothingToOverwrite, ensureOutDir, planOutputs, type OutputPlan } from './output-files.js';

/** What the journal of an earlier run says about one job. */
export interface ResumePlan {
  key: string;
  /** The model's path (listed or not): the job is followed on its app. */
  endpoint: AnyModelPath;
  /** new: submit it; submitted: collect the request an earlier run made; saved: done already, skip. */
  state: JournalState;
}

export interface EditBatch {
  jobs: EditJob[];
  plans: OutputPlan[];
  resume: ResumePlan[];
  outDir: string;
  concurrency: number;
  timeoutMs: number | undefined;
  force: boolean;
  json: boolean;
}

/** The jobs of a command line, its inputs and options checked; `fit` is false with --original. */
export type PlanJobs = (fit: boolean) => Promise<EditJob[]>;

/**
 * Everything `kontext edit` can find wrong is found here, before anything is submitted: flags,
 * the jobs `planJobs` plans (their inputs and the model options, checked against the model's
 * schema) and outputs that would be overwritten. Throws UsageError with one line.
 */
export async function planEditBatch(values: Record<string, string | boolean | undefined>, cwd: string, planJobs: PlanJobs): Promise<EditBatch> {
  const force = values.force === true;
  const concurrency = positiveInteger(values.concurrency, '--concurrency') ?? 4;
  const timeoutSeconds = positiveSeconds(values.timeout, '--timeout');
  const jobs = await planJobs(values.original !== true);
  assertDistinctStems(jobs);
  const outDir = resolve(cwd, typeof values.out === 'string' ? values.out : 'out');
  const plans = jobs.map((job) => planOutputs(outDir, job.stem, expectedImageCount(job.options.num_images), String(job.options.output_format ?? 'jpeg')));
  const resume = await resumePlans(jobs, outDir, force);
  // Outputs of jobs the journal knows are this batch's own: only new jobs must not overwrite.
  if (!force) await assertNothingToOverwrite(plans.filter((_, i) => resume[i]!.state.kind === 'new'), cwd);
  await ensureOutDir(outDir);
  return {
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

/** The jobs of `edit --model`: the model's flags are its fields. */
export function modelJobs(model: Model, values: Record<string, string | boolean | undefined>, positionals: string[], cwd: string): PlanJobs {
  return async (fit) => planEditJobs(model, await inputsFor(model, positionals, cwd, fit), modelOptionsFromFlags(model, values), { fit });
}

/**
 * How many images a job's outputs are checked for before it is sent. A listed model's count was
 * checked against its schema; a path `--model-path` runs may have any, so a count that is not a
 * sensible number checks one (each file is still created exclusively when the job's images come).
 */
function expectedImageCount(numImages: unknown): number {
  const count = Number(numImages ?? 1);
  return Number.isInteger(count) && count >= 1 && count <= MOST_IMAGES_CHECKED ? count : 1;
}

const MOST_IMAGES_CHECKED = 100;

/** The input images of a listed model: one or more for an image model, none for text to image. */
export async function inputsFor(model: Model, positionals: string[], cwd: string, fit: boolean): Promise<InputImage[]> {
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
      const endpoint = job.model.path;
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

import { resolve } from 'node:path';
import { UsageError } from './command.js';
import { positiveInteger, positiveSeconds } from './command-line-numbers.js';
import { discoverInputs, type InputImage } from './discover-inputs.js';
import { modelOptionsFromFlags } from './model-flags.js';
import { planEditJobs, type EditJob } from './model-options.js';
import type { Model } from './models.js';
import { assertDistinctStems, assertNothingToOverwrite, ensureOutDir, planOutputs, type OutputPlan } from './output-files.js';

export interface EditBatch {
  model: Model;
  jobs: EditJob[];
  plans: OutputPlan[];
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
  const images = await inputsFor(model, positionals, cwd);
  const jobs = planEditJobs(model, images, modelOptionsFromFlags(model, values));
  assertDistinctStems(jobs);
  const outDir = resolve(cwd, typeof values.out === 'string' ? values.out : 'out');
  const plans = jobs.map((job) =>
    planOutputs(outDir, job.stem, Number(job.options.num_images ?? 1), String(job.options.output_format ?? 'jpeg')),
  );
  if (!force) await assertNothingToOverwrite(plans, cwd);
  await ensureOutDir(outDir);
  return {
    model,
    jobs,
    plans,
    outDir,
    concurrency,
    timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
    force,
    json: values.json === true,
  };
}

async function inputsFor(model: Model, positionals: string[], cwd: string): Promise<InputImage[]> {
  if (model.imageInput !== 'none') return await discoverInputs(positionals, cwd);
  if (positionals.length > 0) {
    throw new UsageError(`${model.name} makes an image from the prompt alone: give no input files (got ${positionals.join(' ')})`);
  }
  return [];
}

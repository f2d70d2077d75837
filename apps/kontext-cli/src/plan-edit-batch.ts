import { resolve } from 'node:path';
import { positiveInteger, positiveSeconds } from './command-line-numbers.js';
import { discoverInputs } from './discover-inputs.js';
import { modelOptionsFromFlags, planEditJobs, type EditJob } from './model-options.js';
import { assertDistinctStems, assertNothingToOverwrite, ensureOutDir, planOutputs, type OutputPlan } from './output-files.js';

export interface EditBatch {
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
 * inputs, the model options (checked against the spec) and outputs that would be overwritten.
 * Throws UsageError with one line.
 */
export async function planEditBatch(values: Record<string, string | boolean | undefined>, positionals: string[], cwd: string): Promise<EditBatch> {
  const force = values.force === true;
  const concurrency = positiveInteger(values.concurrency, '--concurrency') ?? 4;
  const timeoutSeconds = positiveSeconds(values.timeout, '--timeout');
  const images = await discoverInputs(positionals, cwd);
  const jobs = planEditJobs(images, modelOptionsFromFlags(values));
  assertDistinctStems(jobs);
  const outDir = resolve(cwd, typeof values.out === 'string' ? values.out : 'out');
  const plans = jobs.map((job) =>
    planOutputs(outDir, job.image.stem, job.options.num_images ?? 1, job.options.output_format ?? 'jpeg'),
  );
  if (!force) await assertNothingToOverwrite(plans, cwd);
  await ensureOutDir(outDir);
  return {
    jobs,
    plans,
    outDir,
    concurrency,
    timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
    force,
    json: values.json === true,
  };
}

import { resolve } from 'node:path';
import { commonOptions, UsageError, type CliContext, type CommandSpec } from '../command.js';
import { connect } from '../connection.js';
import { discoverInputs } from '../discover-inputs.js';
import { displayPath } from '../display-path.js';
import { runEditJob } from '../edit-job.js';
import { formatSummaryLine, jsonSummary } from '../batch-summary.js';
import { buildEditJobs, modelOptionsFromFlags } from '../model-options.js';
import { assertDistinctStems, assertNothingToOverwrite, ensureOutDir, planOutputs } from '../output-files.js';
import type { BatchProgress, JobProgress, ProgressReporter } from '../progress/job-progress.js';
import { createPlainProgress } from '../progress/plain-progress.js';
import { createTtyProgress } from '../progress/tty-progress.js';
import { runWithConcurrency } from '../run-with-concurrency.js';

export const editCommand: CommandSpec = {
  name: 'edit',
  summary: 'Edit images with a prompt; writes <name>.<n>.<ext> and <name>.json for each input',
  positionals: '<image files or folders...>',
  options: {
    prompt: { type: 'string', short: 'p', valueName: '<text>', description: 'what to change in the images (required)' },
    out: { type: 'string', short: 'o', valueName: '<dir>', description: 'output folder (default ./out)' },
    'num-images': { type: 'string', short: 'n', valueName: '<1-4>', description: 'images per input (default 1)' },
    format: { type: 'string', short: 'f', valueName: '<jpeg|png>', description: 'output format (default jpeg)' },
    guidance: { type: 'string', valueName: '<1-20>', description: 'how closely to follow the prompt (default 3.5)' },
    safety: { type: 'string', valueName: '<1-5>', description: 'safety tolerance, 1 strictest (default 2)' },
    seed: { type: 'string', valueName: '<int>', description: 'seed, for reproducible results' },
    concurrency: { type: 'string', short: 'c', valueName: '<n>', description: 'jobs in flight at once (default 4)' },
    timeout: { type: 'string', valueName: '<seconds>', description: 'give up on (and cancel) a job after this long' },
    force: { type: 'boolean', description: 'overwrite existing output files' },
    ...commonOptions,
  },
  details: [
    'Folders are read one level deep; their jpg, png, webp, gif and avif files are edited.',
    'Nothing is submitted if any input or option is wrong, or (without --force) if an output exists.',
    'Ctrl-C cancels the jobs still running on the server.',
    '',
    'Example:',
    '  kontext edit photos/ --prompt "make it a watercolor painting" --format png -o edited',
  ],
  run: runEdit,
};

async function runEdit({ values, positionals }: { values: Record<string, string | boolean | undefined>; positionals: string[] }, context: CliContext): Promise<number> {
  const { cwd, stdout, stderr } = context;
  const json = values.json === true;
  const force = values.force === true;
  const concurrency = positiveInteger(values.concurrency, '--concurrency', 4);
  const timeoutSeconds = positiveNumber(values.timeout, '--timeout');

  // Everything that can be wrong with the command is found before anything is submitted.
  const images = await discoverInputs(positionals, cwd);
  const jobs = buildEditJobs(images, modelOptionsFromFlags(values));
  assertDistinctStems(jobs);
  const outDir = resolve(cwd, typeof values.out === 'string' ? values.out : 'out');
  const plans = jobs.map((job) =>
    planOutputs(outDir, job.image.stem, job.input.num_images ?? 1, job.input.output_format ?? 'jpeg'),
  );
  if (!force) await assertNothingToOverwrite(plans, cwd);
  await ensureOutDir(outDir);

  // With --json, stdout carries only the JSON; people read progress on stderr.
  const display = json ? stderr : stdout;
  const say = (line: string) => display.write(`${line}\n`);
  const connection = await connect(context.env, (line) => stderr.write(`${line}\n`));
  try {
    const batch: BatchProgress = {
      startedAt: Date.now(),
      jobs: jobs.map((job, index): JobProgress => ({ index, label: job.image.displayPath, phase: 'waiting', outputs: [] })),
    };
    // A terminal that reports no size (some container ptys) cannot be redrawn in place.
    const reporter: ProgressReporter = display.isTTY && display.rows > 0 && display.columns > 0
      ? createTtyProgress(display, batch)
      : createPlainProgress(say, batch.jobs.length);
    const announceCancel = () =>
      reporter.notice('Cancelling the jobs still running on the server (Ctrl-C again to quit now)...');
    context.signal.addEventListener('abort', announceCancel, { once: true });
    const jobContext = {
      connection,
      signal: context.signal,
      timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
      overwrite: force,
      cwd,
      report: (job: JobProgress) => reporter.update(job),
    };
    await runWithConcurrency(jobs, concurrency, (job, i) => runEditJob(job, plans[i]!, batch.jobs[i]!, jobContext), {
      signal: context.signal,
      onSkip: (_job, i) => {
        Object.assign(batch.jobs[i]!, { phase: 'cancelled', finishedAt: Date.now(), error: 'not started' });
        reporter.update(batch.jobs[i]!);
      },
    });
    context.signal.removeEventListener('abort', announceCancel);
    reporter.stop();

    const now = Date.now();
    say(formatSummaryLine(batch, now, displayDir(outDir, cwd)));
    if (json) stdout.write(`${JSON.stringify(jsonSummary(batch, now, { outDir, emulator: connection.emulator }), null, 2)}\n`);
    if (context.signal.aborted) return 130;
    return batch.jobs.every((job) => job.phase === 'done') ? 0 : 1;
  } finally {
    await connection.close();
  }
}

function displayDir(dir: string, cwd: string): string {
  return `${displayPath(dir, cwd)}/`;
}

/** Our own flags (not the model's): checked here, since the spec does not know them. */
function positiveInteger(value: string | boolean | undefined, flag: string, fallback: number): number {
  if (typeof value !== 'string') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} must be a whole number of at least 1 (got ${JSON.stringify(value)})`);
  return number;
}

function positiveNumber(value: string | boolean | undefined, flag: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(`${flag} must be a number of seconds above 0 (got ${JSON.stringify(value)})`);
  }
  return number;
}

import { mapWithConcurrency } from '@anyapi-kontext/core/portable';
import { formatSummaryLine, jsonSummary } from '../batch-summary.js';
import { commonOptions, type CliContext, type CommandSpec, type ParsedCommand } from '../command.js';
import { displayPath } from '../display-path.js';
import { JOURNAL_FILE, JournalWriter } from '../edit-journal.js';
import { defaultModel, imageInputWords, modelFlagsOf, resolveModel, type Model } from '../models.js';
import { runEditJob, type EditJobContext } from '../edit-job.js';
import { planEditBatch } from '../plan-edit-batch.js';
import type { BatchProgress, JobProgress, ProgressReporter } from '../progress/job-progress.js';
import { createPlainProgress } from '../progress/plain-progress.js';
import { createTtyProgress } from '../progress/tty-progress.js';
import { withConnection, writeJson } from './with-connection.js';

/** `edit` for `model`: its flags are the model's fields, read from its schema. */
export function editCommandFor(model: Model): CommandSpec {
  const modelFlags = Object.fromEntries(Object.entries(modelFlagsOf(model)).map(([flag, { option }]) => [flag, option]));
  const inputs =
    model.imageInput === 'none'
      ? ['This model makes an image from the prompt alone: give no input files. Its files are named after the prompt.']
      : model.imageInput === 'multiple'
        ? ['This model combines images: every input image goes into ONE job, in the order given;', 'its files are named after the inputs joined with "+".']
        : ['Folders are read one level deep; their jpg, png, webp, gif and avif files are edited, one job each.'];
  const fitting =
    model.imageInput === 'none'
      ? []
      : [
          'Each image is fitted to the model before it is sent: one larger than the model works at (about',
          '1 MP) is downscaled, one rotated by its EXIF tag turned upright, and re-encoded (JPEG, or WebP',
          'with transparency); --original sends the files as they are (at most 20 MB and 20 MP each).',
          'HEIC, TIFF, BMP, SVG and PDF files are refused, with how to convert them.',
        ];
  return {
    name: 'edit',
    summary: 'Edit images with a prompt (or make one, with a text-to-image model); writes <name>.<n>.<ext> and <name>.json',
    positionals: model.imageInput === 'none' ? '' : '<image files or folders...>',
    options: {
      model: { type: 'string', valueName: '<name|path>', description: `the model (default ${defaultModel.name}; see: kontext models)` },
      ...modelFlags,
      out: { type: 'string', short: 'o', valueName: '<dir>', description: 'output folder (default ./out)' },
      concurrency: { type: 'string', short: 'c', valueName: '<n>', description: 'jobs in flight at once (default 4)' },
      timeout: { type: 'string', valueName: '<seconds>', description: 'give up on (and cancel) a job after this long' },
      force: { type: 'boolean', description: 'overwrite existing output files' },
      ...(model.imageInput === 'none'
        ? {}
        : { original: { type: 'boolean' as const, description: 'send the files as they are (default: fitted to the model, about 1 MP, upright)' } }),
      ...commonOptions,
    },
    details: [
      `Model: ${model.name} (${model.path}), takes ${imageInputWords[model.imageInput]}.`,
      'The model flags above are its fields; "kontext edit --model <name> --help" shows another model\'s.',
      ...inputs,
      ...fitting,
      'Nothing is submitted if any input or option is wrong, or (without --force) if an output exists.',
      'Ctrl-C cancels the jobs still running on the server.',
      `A journal (${JOURNAL_FILE} in the output folder) records each submit and saved result: run the`,
      'same command again after a crash or Ctrl-C and it skips finished inputs and collects jobs already',
      'submitted instead of paying for them twice (--force redoes finished inputs).',
      '',
      'Examples:',
      '  kontext edit photos/ --prompt "make it a watercolor painting" --format png -o edited',
      '  kontext edit --model max/multi person.png hat.png --prompt "put the hat on the person"',
      '  kontext edit --model text-to-image --prompt "a lighthouse at dusk, oil painting"',
    ],
    specFor: (argv) => editCommandFor(resolveModel(modelFlagValue(argv))),
    run: (parsed, context) => runEdit(model, parsed, context),
  };
}

/** The value of `--model` in `argv`, read before parsing: the model decides which flags exist. */
export function modelFlagValue(argv: string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--model') value = argv[++i] ?? '';
    else if (arg.startsWith('--model=')) value = arg.slice('--model='.length);
  }
  return value;
}

export const editCommand: CommandSpec = editCommandFor(defaultModel);

async function runEdit(model: Model, { values, positionals }: ParsedCommand, context: CliContext): Promise<number> {
  const { cwd, stdout, stderr, signal } = context;
  const plan = await planEditBatch(model, values, positionals, cwd);

  // With --json, stdout carries only the JSON; people read progress on stderr.
  const display = plan.json ? stderr : stdout;
  const say = (line: string) => display.write(`${line}\n`);
  return withConnection(context, async (connection) => {
    const batch: BatchProgress = {
      startedAt: Date.now(),
      jobs: plan.jobs.map((job, index): JobProgress => ({ index, label: job.label, phase: 'waiting', outputs: [] })),
    };
    // A terminal that reports no size (some container ptys) cannot be redrawn in place.
    const reporter: ProgressReporter =
      display.isTTY && display.rows > 0 && display.columns > 0
        ? createTtyProgress(display, batch)
        : createPlainProgress(say, batch.jobs.length);
    const announceCancel = () => reporter.notice('Cancelling the jobs still running on the server (Ctrl-C again to quit now)...');
    signal.addEventListener('abort', announceCancel, { once: true });
    const journal = await JournalWriter.open(plan.outDir);
    const jobContext: EditJobContext = {
      connection,
      signal,
      timeoutMs: plan.timeoutMs,
      overwrite: plan.force,
      cwd,
      report: (job) => reporter.update(job),
      journal,
    };
    // An earlier run's journal: its saved jobs are done, its submitted ones are collected.
    const toRun: number[] = [];
    let collecting = 0;
    plan.resume.forEach(({ state }, i) => {
      if (state.kind !== 'saved') {
        toRun.push(i);
        if (state.kind === 'submitted') collecting += 1;
        return;
      }
      const outputs = state.outputs.map((file) => displayPath(`${plan.outDir}/${file}`, cwd));
      Object.assign(batch.jobs[i]!, { phase: 'done', requestId: state.requestId, finishedAt: Date.now(), outputs });
    });
    const skipped = plan.jobs.length - toRun.length;
    if (skipped > 0 || collecting > 0) {
      reporter.notice(
        `Resuming from ${displayPath(`${plan.outDir}/${JOURNAL_FILE}`, cwd)}: ${skipped} already done (skipped), ` +
          `${collecting} already submitted (collecting, not resubmitting).`,
      );
      batch.jobs.filter((job) => job.phase === 'done').forEach((job) => reporter.update(job));
    }
    try {
      // Each job reports its own failure; after Ctrl-C the jobs not yet started are skipped.
      const outcomes = await mapWithConcurrency(
        toRun.length,
        plan.concurrency,
        (n) => {
          const i = toRun[n]!;
          const { key, endpoint, state } = plan.resume[i]!;
          return runEditJob(plan.jobs[i]!, plan.plans[i]!, batch.jobs[i]!, jobContext, {
            key,
            endpoint,
            ...(state.kind === 'submitted' ? { submittedRequestId: state.requestId } : {}),
          });
        },
        { shouldStop: () => signal.aborted },
      );
      outcomes.forEach((outcome, n) => {
        if (outcome) return;
        const job = batch.jobs[toRun[n]!]!;
        Object.assign(job, { phase: 'cancelled', finishedAt: Date.now(), error: 'not started' });
        reporter.update(job);
      });
    } finally {
      signal.removeEventListener('abort', announceCancel);
      reporter.stop();
      await journal.close();
    }

    const now = Date.now();
    say(formatSummaryLine(batch, now, `${displayPath(plan.outDir, cwd)}/`));
    if (plan.json) {
      writeJson(context, jsonSummary(batch, now, { outDir: plan.outDir, emulator: connection.emulator }));
    }
    if (signal.aborted) return 130;
    return batch.jobs.every((job) => job.phase === 'done') ? 0 : 1;
  });
}

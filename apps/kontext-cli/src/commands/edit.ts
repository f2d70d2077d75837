import { mapWithConcurrency } from '@anyapi-kontext/core/portable';
import { formatSummaryLine, jsonSummary } from '../batch-summary.js';
import type { AnyModelPath } from '@anyapi-kontext/core';
import { commonOptions, UsageError, type CliContext, type CommandSpec, type OptionSpec, type ParsedCommand } from '../command.js';
import { displayPath } from '../display-path.js';
import { JOURNAL_FILE, JournalWriter } from '../edit-journal.js';
import { defaultModel, imageFieldOf, imageInputWords, modelFlagsOf, resolveModel, type Model } from '../models.js';
import { runEditJob, type EditJobContext } from '../edit-job.js';
import { listedModelAt, modelPathFrom, modelPathJobs } from '../model-path.js';
import { modelJobs, planEditBatch, type PlanJobs } from '../plan-edit-batch.js';
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
    ...EDIT,
    ...(model === defaultModel ? {} : { helpCommand: `edit --model ${model.path}` }),
    positionals: model.imageInput === 'none' ? '' : '<image files or folders...>',
    options: {
      model: { type: 'string', valueName: '<name|path>', description: `the model (default ${defaultModel.name}; see: kontext models)` },
      'model-path': { type: 'string', valueName: '<path>', description: 'instead: a model AnyAPI serves that is not listed, by its path (see: kontext edit --model-path <path> --help)' },
      ...modelFlags,
      ...batchOptions(model.imageInput !== 'none'),
      ...commonOptions,
    },
    details: [
      `Model: ${model.name} (${model.path}), takes ${imageInputWords[model.imageInput]}.`,
      'The model flags above are its fields; "kontext edit --model <name> --help" shows another model\'s.',
      ...inputs,
      ...fitting,
      ...BATCH_DETAILS,
      '',
      'Examples:',
      '  kontext edit photos/ --prompt "make it a watercolor painting" --format png -o edited',
      '  kontext edit --model max/multi person.png hat.png --prompt "put the hat on the person"',
      '  kontext edit --model text-to-image --prompt "a lighthouse at dusk, oil painting"',
    ],
    run: (parsed, context) => runEdit(modelJobs(model, parsed.values, parsed.positionals, context.cwd), parsed, context),
  };
}

/**
 * `edit --model-path <path>`: any fal-queue model path, its fields as `--input` JSON. A path the
 * spec lists runs as that model (its image field, its schema checked before anything is sent);
 * `--model` gives that model's fields as flags instead.
 */
export function editByPathCommandFor(path: AnyModelPath): CommandSpec {
  const listed = listedModelAt(path);
  return {
    ...EDIT,
    helpCommand: `edit --model-path ${path}`,
    positionals: '--model-path <path> [image files or folders...]',
    options: {
      'model-path': { type: 'string', valueName: '<path>', description: 'the model, by its path on AnyAPI: /owner/app or /owner/app/sub...' },
      input: { type: 'string', valueName: '<json>', description: 'the model\'s other input fields, one JSON object, sent as given' },
      prompt: { type: 'string', short: 'p', valueName: '<text>', description: "sent as the model's prompt field (or set prompt in --input)" },
      'image-field': {
        type: 'string',
        valueName: '<image_url|image_urls>',
        description: 'the field the images go in (default image_url for one image, image_urls for several)',
      },
      ...batchOptions(listed?.imageInput !== 'none'),
      ...commonOptions,
    },
    details: [
      ...(listed
        ? [
            `Model: ${listed.name} (${path}), a listed model: it takes ${imageInputWords[listed.imageInput]}${imageFieldOf(listed) ? ` (${imageFieldOf(listed)})` : ''},`,
            `and --input is checked against its schema before anything is sent ("kontext edit --model ${path} --help" has its fields as flags).`,
          ]
        : [
            `Model: ${path}, which this release does not list: --input is sent as given and AnyAPI checks it.`,
            'The input images go in --image-field: image_url runs one job per image, image_urls one job of them all',
            '(default: image_url for one image, image_urls for several); with no input images, none is sent.',
            'A path "kontext models" lists runs as that model: its own image field, --input checked against its schema.',
          ]),
      'A field set twice (in --input and by --prompt or the images) is refused. The images are fitted as with',
      '--model (about 1 MP, upright); --original sends the files as they are.',
      ...BATCH_DETAILS,
      'Its jobs are followed by request id with: kontext status|result|cancel <request id> --model-path <path>',
      '',
      'Examples:',
      `  kontext edit --model-path /fal-ai/flux-kontext/dev photo.jpg -p "make it snow" --input '{"num_inference_steps": 30}'`,
      '  kontext edit --model-path /fal-ai/nano-banana/edit person.png hat.png -p "put the hat on the person"',
    ],
    run: (parsed, context) => runEdit(modelPathJobs(path, parsed.values, parsed.positionals, context.cwd), parsed, context),
  };
}

/** What every `edit` spec shares: the name, the summary and the choice of model before parsing. */
const EDIT: Pick<CommandSpec, 'name' | 'summary' | 'specFor'> = {
  name: 'edit',
  summary: 'Edit images with a prompt (or make one, with a text-to-image model); writes <name>.<n>.<ext> and <name>.json',
  specFor: (argv) => {
    const model = flagValue(argv, 'model');
    const path = flagValue(argv, 'model-path');
    if (path === undefined) return editCommandFor(resolveModel(model));
    if (model !== undefined) throw new UsageError('give --model (a listed model, its fields as flags) or --model-path (any path, --input JSON), not both');
    return editByPathCommandFor(modelPathFrom(path));
  },
};

/** The flags of a batch, whatever the model. */
function batchOptions(takesImages: boolean): Record<string, OptionSpec> {
  return {
    out: { type: 'string', short: 'o', valueName: '<dir>', description: 'output folder (default ./out)' },
    concurrency: { type: 'string', short: 'c', valueName: '<n>', description: 'jobs in flight at once (default 4)' },
    timeout: { type: 'string', valueName: '<seconds>', description: 'give up on (and cancel) a job after this long' },
    force: { type: 'boolean', description: 'overwrite existing output files' },
    ...(takesImages ? { original: { type: 'boolean', description: 'send the files as they are (default: fitted to the model, about 1 MP, upright)' } } : {}),
  };
}

const BATCH_DETAILS = [
  'Nothing is submitted if any input or option is wrong, or (without --force) if an output exists.',
  'Ctrl-C cancels the jobs still running on the server.',
  `A journal (${JOURNAL_FILE} in the output folder) records each submit and saved result: run the`,
  'same command again after a crash or Ctrl-C and it skips finished inputs and collects jobs already',
  'submitted instead of paying for them twice (--force redoes finished inputs).',
];

/** The value of `--<name>` in `argv`, read before parsing: the model decides which flags exist. */
export function flagValue(argv: string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === `--${name}`) value = argv[++i] ?? '';
    else if (arg.startsWith(`--${name}=`)) value = arg.slice(`--${name}=`.length);
  }
  return value;
}

export const editCommand: CommandSpec = editCommandFor(defaultModel);

async function runEdit(planJobs: PlanJobs, { values }: ParsedCommand, context: CliContext): Promise<number> {
  const { cwd, stdout, stderr, signal } = context;
  const plan = await planEditBatch(values, cwd, planJobs);

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

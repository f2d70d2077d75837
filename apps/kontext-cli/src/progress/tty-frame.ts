import type pc from 'picocolors';
import { formatDuration } from './format-duration.js';
import { countJobs, type BatchProgress, type JobProgress } from './job-progress.js';

export type Colors = ReturnType<typeof pc.createColors>;

export interface FrameOptions {
  now: number;
  /** Terminal width; lines are cut to it so the terminal never wraps them (which breaks redrawing). */
  columns: number;
  /** Terminal height; with more jobs than fit, finished and waiting jobs are folded into a count. */
  rows: number;
  colors: Colors;
}

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const barWidth = 24;

/** The whole live display for one moment: a line per job, then the overall bar. Pure, for tests. */
export function renderTtyFrame(batch: BatchProgress, options: FrameOptions): string[] {
  const { columns, colors } = options;
  const jobs = visibleJobs(batch.jobs, Math.max(1, options.rows - 2));
  // Labels get up to 40% of the line; the status text needs the rest.
  const labelWidth = Math.min(Math.max(12, Math.floor(columns * 0.4)), Math.max(...batch.jobs.map((job) => job.label.length), 4));
  const lines = jobs.shown.map((job) => {
    const { icon, text, paint } = describeJob(job, options);
    const label = fit(job.label, labelWidth).padEnd(labelWidth);
    const room = Math.max(0, columns - labelWidth - 4);
    return `${paint(icon)} ${label}  ${paint(cut(text, room))}`;
  });
  if (jobs.hidden > 0) lines.push(colors.dim(cut(`  … ${jobs.hidden} more (${jobs.hiddenSummary})`, columns)));
  lines.push(renderBar(batch, options));
  return lines;
}

function describeJob(job: JobProgress, { now, colors }: FrameOptions): { icon: string; text: string; paint: (s: string) => string } {
  const spin = spinner[Math.floor(now / 80) % spinner.length]!;
  switch (job.phase) {
    case 'waiting':
      return { icon: '·', text: 'waiting', paint: colors.dim };
    case 'submitting':
      return { icon: spin, text: 'submitting', paint: colors.cyan };
    case 'queued':
      return {
        icon: spin,
        text: job.queuePosition === undefined ? 'queued' : `queued, position ${job.queuePosition + 1}`,
        paint: colors.cyan,
      };
    case 'running':
      return { icon: spin, text: `running ${formatDuration(now - (job.runningAt ?? now))}`, paint: colors.yellow };
    case 'saving':
      return { icon: spin, text: 'saving', paint: colors.yellow };
    case 'done': {
      const files = job.outputs.filter((file) => !file.endsWith('.json'));
      const more = files.length > 1 ? ` +${files.length - 1}` : '';
      const took = formatDuration((job.finishedAt ?? now) - (job.submittedAt ?? now));
      return { icon: '✔', text: `done ${took}  ${files[0] ?? ''}${more}`, paint: colors.green };
    }
    case 'failed':
      return { icon: '✖', text: `failed: ${job.error ?? 'unknown error'}`, paint: colors.red };
    case 'cancelled':
      return { icon: '⊘', text: 'cancelled', paint: colors.yellow };
  }
}

function renderBar(batch: BatchProgress, { now, columns, colors }: FrameOptions): string {
  const { total, done, failed, cancelled, finished } = countJobs(batch.jobs);
  const filled = total === 0 ? barWidth : Math.round((finished / total) * barWidth);
  const bar = colors.green('█'.repeat(filled)) + colors.dim('░'.repeat(barWidth - filled));
  const parts = [`${done}/${total} done`];
  if (failed) parts.push(colors.red(`${failed} failed`));
  if (cancelled) parts.push(colors.yellow(`${cancelled} cancelled`));
  parts.push(formatDuration(now - batch.startedAt));
  const text = ` ${parts.join(' · ')}`;
  // The bar is fixed width; only cut when the terminal is narrower than the whole line.
  return columns >= barWidth + 30 ? bar + text : `${done}/${total} done`;
}

/** Which jobs get a line when they do not all fit: active ones first, then failures, then the rest. */
function visibleJobs(jobs: JobProgress[], room: number): { shown: JobProgress[]; hidden: number; hiddenSummary: string } {
  if (jobs.length <= room) return { shown: jobs, hidden: 0, hiddenSummary: '' };
  const rank = (job: JobProgress) =>
    ({ submitting: 0, queued: 0, running: 0, saving: 0, failed: 1, cancelled: 2, done: 3, waiting: 4 })[job.phase];
  const chosen = new Set(
    [...jobs].sort((a, b) => rank(a) - rank(b) || a.index - b.index).slice(0, Math.max(0, room - 1)),
  );
  const hiddenJobs = jobs.filter((job) => !chosen.has(job));
  const byPhase = new Map<string, number>();
  for (const job of hiddenJobs) byPhase.set(job.phase, (byPhase.get(job.phase) ?? 0) + 1);
  return {
    shown: jobs.filter((job) => chosen.has(job)),
    hidden: hiddenJobs.length,
    hiddenSummary: [...byPhase].map(([phase, n]) => `${n} ${phase}`).join(', '),
  };
}

/** Keeps the end of a long path (the file name matters most). */
function fit(text: string, width: number): string {
  return text.length <= width ? text : `…${text.slice(text.length - width + 1)}`;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

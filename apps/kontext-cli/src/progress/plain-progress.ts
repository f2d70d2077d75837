import { formatDuration } from './format-duration.js';
import type { JobProgress, ProgressReporter } from './job-progress.js';

/**
 * One line per event, for logs and pipes where redrawing is impossible:
 * `[2/3] cat.png queued at position 1 (request 5f1c...)`.
 */
export function plainEventLine(job: JobProgress, total: number): string {
  const prefix = `[${job.index + 1}/${total}] ${job.label}`;
  switch (job.phase) {
    case 'waiting':
      return `${prefix} waiting`;
    case 'submitting':
      return `${prefix} submitting`;
    case 'queued':
      return `${prefix} queued${job.queuePosition === undefined ? '' : ` at position ${job.queuePosition + 1}`}${job.requestId ? ` (request ${job.requestId})` : ''}`;
    case 'running':
      return `${prefix} running`;
    case 'saving':
      return `${prefix} saving`;
    case 'done':
      return `${prefix} done in ${formatDuration(elapsed(job))}: ${job.outputs.join(', ')}`;
    case 'failed':
      return `${prefix} failed: ${job.error ?? 'unknown error'}`;
    case 'cancelled':
      return `${prefix} cancelled${job.error ? `: ${job.error}` : ''}`;
  }
}

/** Prints a line when a job changes phase or queue position; repeats of the same state are dropped. */
export function createPlainProgress(write: (line: string) => void, total: number): ProgressReporter {
  const lastLine = new Map<number, string>();
  return {
    update(job) {
      if (job.phase === 'waiting') return;
      const line = plainEventLine(job, total);
      if (lastLine.get(job.index) === line) return;
      lastLine.set(job.index, line);
      write(line);
    },
    notice: write,
    stop() {},
  };
}

function elapsed(job: JobProgress): number {
  return (job.finishedAt ?? Date.now()) - (job.submittedAt ?? job.finishedAt ?? Date.now());
}

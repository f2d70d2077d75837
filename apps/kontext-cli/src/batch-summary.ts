import { formatDuration } from './progress/format-duration.js';
import { countJobs, type BatchProgress } from './progress/job-progress.js';

/** The closing line of `kontext edit`, e.g. `2 done, 1 failed in 4.2s; results in out/`. */
export function formatSummaryLine(batch: BatchProgress, now: number, outDir: string): string {
  const { done, failed, cancelled, total } = countJobs(batch.jobs);
  const parts = [`${done} of ${total} done`];
  if (failed) parts.push(`${failed} failed`);
  if (cancelled) parts.push(`${cancelled} cancelled`);
  const where = done ? `; results in ${outDir}` : '';
  return `${parts.join(', ')} in ${formatDuration(now - batch.startedAt)}${where}`;
}

/** `kontext edit --json`: everything a script needs, one object on stdout. */
export function jsonSummary(batch: BatchProgress, now: number, extra: { outDir: string; emulator: boolean }) {
  const counts = countJobs(batch.jobs);
  return {
    ok: counts.done === counts.total,
    done: counts.done,
    failed: counts.failed,
    cancelled: counts.cancelled,
    elapsedMs: now - batch.startedAt,
    outDir: extra.outDir,
    emulator: extra.emulator,
    jobs: batch.jobs.map((job) => ({
      input: job.label,
      status: job.phase,
      requestId: job.requestId ?? null,
      ...(job.seed !== undefined ? { seed: job.seed } : {}),
      outputs: job.outputs,
      ...(job.error ? { error: job.error } : {}),
    })),
  };
}

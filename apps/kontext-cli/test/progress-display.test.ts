import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { createPlainProgress, plainEventLine } from '../src/progress/plain-progress.js';
import type { BatchProgress, JobProgress } from '../src/progress/job-progress.js';
import { renderTtyFrame } from '../src/progress/tty-frame.js';

const colors = pc.createColors(false);
const job = (index: number, changes: Partial<JobProgress>): JobProgress => ({
  index,
  label: `photo-${index}.png`,
  phase: 'waiting',
  outputs: [],
  ...changes,
});

describe('the terminal display', () => {
  const batch: BatchProgress = {
    startedAt: 0,
    jobs: [
      job(0, { phase: 'done', submittedAt: 0, finishedAt: 2300, outputs: ['out/photo-0.1.jpg', 'out/photo-0.json'] }),
      job(1, { phase: 'running', runningAt: 1000 }),
      job(2, { phase: 'queued', queuePosition: 2 }),
      job(3, { phase: 'failed', error: 'Job abc failed: content_policy_violation' }),
      job(4, {}),
    ],
  };

  it('shows one line per job and the overall bar', () => {
    const lines = renderTtyFrame(batch, { now: 3000, columns: 100, rows: 40, colors });
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/✔ photo-0\.png\s+done 2\.3s {2}out\/photo-0\.1\.jpg$/);
    expect(lines[1]).toMatch(/photo-1\.png\s+running 2\.0s$/);
    expect(lines[2]).toMatch(/photo-2\.png\s+queued, position 3$/);
    expect(lines[3]).toMatch(/✖ photo-3\.png\s+failed: Job abc failed: content_policy_violation$/);
    expect(lines[4]).toMatch(/· photo-4\.png\s+waiting$/);
    expect(lines[5]).toBe(`${'█'.repeat(10)}${'░'.repeat(14)} 1/5 done · 1 failed · 3.0s`);
  });

  it('never writes past the terminal width', () => {
    for (const line of renderTtyFrame(batch, { now: 3000, columns: 40, rows: 40, colors })) {
      expect(line.length).toBeLessThanOrEqual(40);
    }
  });

  it('folds jobs that do not fit, keeping the active ones', () => {
    const many: BatchProgress = {
      startedAt: 0,
      jobs: [
        ...Array.from({ length: 20 }, (_, i) => job(i, { phase: 'done', outputs: [] })),
        job(20, { phase: 'running', runningAt: 0 }),
        ...Array.from({ length: 10 }, (_, i) => job(21 + i, {})),
      ],
    };
    const lines = renderTtyFrame(many, { now: 1000, columns: 100, rows: 8, colors });
    expect(lines).toHaveLength(7);
    expect(lines.some((line) => line.includes('photo-20.png') && line.includes('running'))).toBe(true);
    expect(lines.at(-2)).toContain('more (');
  });
});

describe('the plain display', () => {
  it('writes one line per event, and drops repeats', () => {
    const lines: string[] = [];
    const reporter = createPlainProgress((line) => lines.push(line), 2);
    const first = job(0, { phase: 'queued', queuePosition: 0, requestId: 'req-1' });
    reporter.update(first);
    reporter.update(first);
    reporter.update({ ...first, phase: 'running' });
    reporter.update({ ...first, phase: 'done', submittedAt: 0, finishedAt: 1500, outputs: ['out/a.1.jpg', 'out/a.json'] });
    expect(lines).toEqual([
      '[1/2] photo-0.png queued at position 1 (request req-1)',
      '[1/2] photo-0.png running',
      '[1/2] photo-0.png done in 1.5s: out/a.1.jpg, out/a.json',
    ]);
  });

  it('says why a job failed', () => {
    expect(plainEventLine(job(1, { phase: 'failed', error: 'boom' }), 3)).toBe('[2/3] photo-1.png failed: boom');
  });
});

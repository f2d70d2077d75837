import { describe, expect, it } from 'vitest';
import { runWithConcurrency } from '../src/run-with-concurrency.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('runWithConcurrency', () => {
  it('never runs more than the limit at once, and runs everything', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await runWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      seen.push(item);
      running -= 1;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps going when a worker throws', async () => {
    const seen: number[] = [];
    await runWithConcurrency([1, 2, 3], 1, async (item) => {
      if (item === 2) throw new Error('boom');
      seen.push(item);
    });
    expect(seen).toEqual([1, 3]);
  });

  it('skips items not yet started once aborted', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const skipped: number[] = [];
    await runWithConcurrency(
      [1, 2, 3, 4],
      2,
      async (item) => {
        started.push(item);
        await tick();
        controller.abort();
      },
      { signal: controller.signal, onSkip: (item) => skipped.push(item) },
    );
    expect(started).toEqual([1, 2]);
    expect(skipped).toEqual([3, 4]);
  });
});

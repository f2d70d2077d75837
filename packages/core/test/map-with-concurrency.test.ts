import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../src/portable.js';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapWithConcurrency', () => {
  it('never runs more than the limit at once, runs everything, and keeps input order', async () => {
    let running = 0;
    let peak = 0;
    const outcomes = await mapWithConcurrency(7, 3, async (index) => {
      running += 1;
      peak = Math.max(peak, running);
      await tick(7 - index); // later indexes finish first
      running -= 1;
      return index * 10;
    });
    expect(peak).toBe(3);
    expect(outcomes).toEqual([0, 10, 20, 30, 40, 50, 60].map((value) => ({ ok: true, value })));
  });

  it('keeps going when a task throws, and reports the failure at once', async () => {
    const failures: number[] = [];
    const outcomes = await mapWithConcurrency(
      3,
      1,
      async (index) => {
        if (index === 1) throw new Error('boom');
        return index;
      },
      { onFailure: (index) => failures.push(index) },
    );
    expect(outcomes.map((o) => o?.ok)).toEqual([true, false, true]);
    expect((outcomes[1] as { error: Error }).error.message).toBe('boom');
    expect(failures).toEqual([1]);
  });

  it('leaves tasks not yet started undone once asked to stop', async () => {
    let stop = false;
    const started: number[] = [];
    const outcomes = await mapWithConcurrency(
      4,
      2,
      async (index) => {
        started.push(index);
        await tick();
        stop = true;
        return index;
      },
      { shouldStop: () => stop },
    );
    expect(started).toEqual([0, 1]);
    expect(outcomes.slice(2)).toEqual([undefined, undefined]);
  });

  it('treats a limit below one, or a fraction, as one lane', async () => {
    let peak = 0;
    let running = 0;
    await mapWithConcurrency(3, 0.5, async () => {
      peak = Math.max(peak, ++running);
      await tick();
      running -= 1;
    });
    expect(peak).toBe(1);
  });

  it('starts the next task when one releases its slot, and still waits for every task to settle', async () => {
    const events: string[] = [];
    let finishFirst = () => {};
    const firstMayFinish = new Promise<void>((resolve) => (finishFirst = resolve));
    const outcomes = await mapWithConcurrency(3, 1, async (index, release) => {
      events.push(`start ${index}`);
      if (index === 0) {
        release();
        release(); // a second release frees nothing more
        await firstMayFinish;
      }
      if (index === 2) finishFirst();
      events.push(`end ${index}`);
      return index;
    });
    // Task 0 gave its slot up at once: 1 ran in it, then 2; 0 ended only when 2 let it.
    expect(events).toEqual(['start 0', 'start 1', 'end 1', 'start 2', 'end 2', 'end 0']);
    expect(outcomes).toEqual([0, 1, 2].map((value) => ({ ok: true, value })));
  });
});


import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodeSleep } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('nodeSleep', () => {
  it('waits the whole time past setTimeout\'s range, which would otherwise fire after 1 ms', async () => {
    vi.useFakeTimers();
    let done = false;
    const waiting = nodeSleep(3e9).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(3e9 - 2 ** 31);
    await waiting;
    expect(done).toBe(true);
  });

  it('stops at once when aborted, in any part of a long wait', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const waiting = nodeSleep(3e9, controller.signal);
    await vi.advanceTimersByTimeAsync(2 ** 31);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});

/** How one task ended. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface ConcurrencyOptions {
  /** Checked before each task starts; once true, tasks not yet started are left undone. */
  shouldStop?: () => boolean;
  /** Called as soon as a task fails, e.g. to stop the rest when failures are not tolerated. */
  onFailure?: (index: number, error: unknown) => void;
}

/**
 * Runs `task` for every index 0..count-1 with at most `limit` holding a slot at once, and
 * returns the outcomes in index order, whatever order they finished in. A task holds its slot
 * until it settles, or until it calls `release` (e.g. once its job has ended on the server and
 * only its download is left): the next task starts then. A failure never stops the others by
 * itself; a task never started (after `shouldStop`) has `undefined` as its outcome.
 */
export async function mapWithConcurrency<T>(
  count: number,
  limit: number,
  task: (index: number, release: () => void) => Promise<T>,
  options: ConcurrencyOptions = {},
): Promise<Array<Outcome<T> | undefined>> {
  const outcomes: Array<Outcome<T> | undefined> = new Array(count).fill(undefined);
  const slots = Math.max(1, Math.min(Math.floor(limit) || 1, count));
  let next = 0;
  let held = 0;
  let unsettled = 0;
  return await new Promise((resolve) => {
    const settle = async (index: number, release: () => void) => {
      try {
        outcomes[index] = { ok: true, value: await task(index, release) };
      } catch (error) {
        outcomes[index] = { ok: false, error };
        options.onFailure?.(index, error);
      }
      unsettled -= 1;
      release();
      if (unsettled === 0) resolve(outcomes);
    };
    const startMore = () => {
      while (held < slots && next < count && !options.shouldStop?.()) {
        const index = next++;
        held += 1;
        unsettled += 1;
        let holding = true;
        const release = () => {
          if (!holding) return;
          holding = false;
          held -= 1;
          startMore();
        };
        void settle(index, release);
      }
    };
    startMore();
    if (unsettled === 0) resolve(outcomes);
  });
}

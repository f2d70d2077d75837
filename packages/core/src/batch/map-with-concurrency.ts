/** How one task ended. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface ConcurrencyOptions {
  /** Checked before each task starts; once true, tasks not yet started are left undone. */
  shouldStop?: () => boolean;
  /** Called as soon as a task fails, e.g. to stop the rest when failures are not tolerated. */
  onFailure?: (index: number, error: unknown) => void;
}

/**
 * Runs `task` for every index 0..count-1 with at most `limit` running at once, and returns
 * the outcomes in index order, whatever order they finished in. A failure never stops the
 * others by itself; a task never started (after `shouldStop`) has `undefined` as its outcome.
 */
export async function mapWithConcurrency<T>(
  count: number,
  limit: number,
  task: (index: number) => Promise<T>,
  options: ConcurrencyOptions = {},
): Promise<Array<Outcome<T> | undefined>> {
  const outcomes: Array<Outcome<T> | undefined> = new Array(count).fill(undefined);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count && !options.shouldStop?.()) {
      const index = next++;
      try {
        outcomes[index] = { ok: true, value: await task(index) };
      } catch (error) {
        outcomes[index] = { ok: false, error };
        options.onFailure?.(index, error);
      }
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(limit) || 1, count));
  await Promise.all(Array.from({ length: lanes }, lane));
  return outcomes;
}

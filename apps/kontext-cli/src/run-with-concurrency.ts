/**
 * Runs `worker` over `items` with at most `limit` at a time, in order. Once `signal` aborts,
 * items not yet started are skipped (reported through `onSkip`) while started ones finish
 * their own way. Workers are expected to handle their own failures; one that throws does not
 * stop the others.
 */
export async function runWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<void>,
  { signal, onSkip }: { signal?: AbortSignal; onSkip?: (item: T, index: number) => void } = {},
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      if (signal?.aborted) {
        onSkip?.(item, index);
        continue;
      }
      await worker(item, index).catch(() => undefined);
    }
  };
  const lanes = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
}

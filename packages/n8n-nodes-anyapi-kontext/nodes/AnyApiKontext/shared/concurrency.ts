/**
 * Runs `task` for every index in 0..count-1 with at most `limit` running at a time and returns
 * the outcomes in index order, whatever order they finish in. A task's failure never stops the
 * others: the caller decides what a failure means (Continue On Fail or stop).
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function mapWithConcurrency<T>(
	count: number,
	limit: number,
	task: (index: number) => Promise<T>,
	shouldStop: () => boolean = () => false,
	onFailure: (index: number, error: unknown) => void = () => undefined,
): Promise<Array<Outcome<T> | undefined>> {
	const outcomes: Array<Outcome<T> | undefined> = new Array(count).fill(undefined);
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < count && !shouldStop()) {
			const index = next++;
			try {
				outcomes[index] = { ok: true, value: await task(index) };
			} catch (error) {
				outcomes[index] = { ok: false, error };
				onFailure(index, error);
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, count));
	await Promise.all(Array.from({ length: workers }, worker));
	return outcomes;
}

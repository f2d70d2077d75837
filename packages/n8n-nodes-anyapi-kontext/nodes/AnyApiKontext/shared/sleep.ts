import * as workflow from 'n8n-workflow';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

function abortReason(signal: AbortSignal): Error {
	const reason: unknown = signal.reason;
	if (reason instanceof Error) return reason;
	const error = new Error('The operation was aborted');
	error.name = 'AbortError';
	return error;
}

/**
 * The core's `Sleep`, made of n8n-workflow's helpers (the node may not use timers itself).
 * n8n-workflow 2.x has `sleep(ms, signal)`; some 1.x releases export `sleepWithAbort`, older ones
 * only `sleep(ms)`: there the wait is raced against the signal so an abort is still immediate.
 */
export const n8nSleep: Sleep = async (ms, signal) => {
	const helpers = workflow as unknown as {
		sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
		sleepWithAbort?: (ms: number, signal: AbortSignal) => Promise<void>;
	};
	if (!signal) return await helpers.sleep(ms);
	if (signal.aborted) throw abortReason(signal);
	if (typeof helpers.sleepWithAbort === 'function') return await helpers.sleepWithAbort(ms, signal);
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(abortReason(signal));
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([helpers.sleep(ms, signal), aborted]);
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
};

import * as workflow from 'n8n-workflow';
import { abortError, raceAbort } from './transport';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

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
	if (signal.aborted) throw abortError(signal);
	if (typeof helpers.sleepWithAbort === 'function') return await helpers.sleepWithAbort(ms, signal);
	return await raceAbort(helpers.sleep(ms, signal), signal);
};

import type { Transport } from '@anyapi-kontext/core/portable';
import { raceAbort } from './transport';

/**
 * The order in which one execution spends n8n's CPU when jobs end and new ones start together
 * (at every wave change of an Edit with Concurrency items): first the next items, one at a time
 * in item order, read their parameters and send their submits; only then do finished jobs fetch
 * their results, download their images and open the status streams of the new jobs.
 *
 * Why: each submit starts a job's clock, so every millisecond before it is added to the run,
 * while a result fetched a few milliseconds later costs nothing. Left to themselves, n8n's
 * per-request work for 8 results, 8 downloads and 8 streams ran between the 8 submits, and the
 * items read their parameters interleaved, so the first submit went out only after the last
 * item was ready. n8n runs an execution's node on one thread, so this is about order, not load.
 */
export interface StartOrder {
	/**
	 * Resolves when it is this item's turn to prepare its job: once every item that took its
	 * place earlier has sent its submit (or ended without one). The turn ends with the item's
	 * submit (`submitSent`) or with `end`, whichever comes first; more calls are ignored.
	 */
	turn(): Promise<{ end: () => void }>;
	/**
	 * A submit was sent: it ends the turn being held, and `quiet` waits for its answer too.
	 * Returns `answered`. (A submit resent by the core's retry ends a later item's turn early:
	 * that item then only loses its place in the order.)
	 */
	submitSent(): () => void;
	/**
	 * Resolves once the turns and submits begun before the call are over. Later ones are not
	 * waited for, so a steady stream of new jobs cannot hold a result back for long.
	 */
	quiet(signal?: AbortSignal): Promise<void>;
}

/**
 * `yieldToIo` resolves after a turn of the event loop (n8n's sleep(0)): the next item starts
 * preparing only once the submit just sent has been handed to the socket.
 */
export function createStartOrder(yieldToIo: () => Promise<void>): StartOrder {
	const pending = new Set<Promise<void>>();
	/** Counts something for `quiet` until the function it returns is called. */
	const track = () => {
		let resolve!: () => void;
		const over = new Promise<void>((done) => (resolve = done));
		pending.add(over);
		return () => {
			pending.delete(over);
			resolve();
		};
	};
	let previousTurn: Promise<void> = Promise.resolve();
	let held: { passOn: () => void; settle: () => void } | undefined;
	return {
		async turn() {
			// Pending (for `quiet`) until the item's submit is answered or the item ends; the
			// next item's turn comes once the submit is sent.
			const settle = track();
			let passOn!: () => void;
			const passed = new Promise<void>((resolve) => (passOn = resolve));
			const before = previousTurn;
			previousTurn = passed.then(yieldToIo);
			await before;
			const turn = { passOn, settle };
			held = turn;
			return {
				end: () => {
					if (held === turn) held = undefined;
					passOn();
					settle();
				},
			};
		},
		submitSent() {
			const turn = held;
			held = undefined;
			if (!turn) return track();
			turn.passOn();
			return turn.settle;
		},
		async quiet(signal) {
			if (pending.size === 0) return;
			await raceAbort(Promise.all([...pending]), signal);
		},
	};
}

/** A status poll: the one GET never held back (it is how ended jobs free their places). */
const isStatusPoll = (path: string) => path.endsWith('/status');

/**
 * The transport with `order` applied: a submit ends the sending item's turn and is counted
 * until it is answered; result fetches and status streams wait for `quiet`. Status polls and
 * cancels are never held.
 */
export function orderedTransport(transport: Transport, order: StartOrder): Transport {
	const { openEventStream } = transport;
	return {
		async send(request) {
			if (request.method === 'POST') {
				const answered = order.submitSent();
				try {
					return await transport.send(request);
				} finally {
					answered();
				}
			}
			if (request.method === 'GET' && !isStatusPoll(request.path)) await order.quiet(request.signal);
			return await transport.send(request);
		},
		...(openEventStream
			? {
					async openEventStream(request) {
						await order.quiet(request.signal);
						return await openEventStream.call(transport, request);
					},
				}
			: {}),
	};
}

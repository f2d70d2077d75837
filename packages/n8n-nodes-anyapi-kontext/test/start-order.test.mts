// The order of an execution's work when jobs end and new ones start together (shared/startOrder.ts):
// pure rules, driven step by step, with a transport that records what reached it.
import { describe, expect, it } from 'vitest';
import type { Transport, TransportRequest } from '@anyapi-kontext/core/portable';
import { createStartOrder, orderedTransport } from '../nodes/AnyApiKontext/shared/startOrder';

/** Lets every pending promise callback run. */
const settle = async () => {
	for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

/** A yield that the test releases by hand, to see that the next turn waits for it. */
function manualYield() {
	const pending: Array<() => void> = [];
	return {
		yieldToIo: () => new Promise<void>((resolve) => pending.push(resolve)),
		release: () => pending.splice(0).forEach((resolve) => resolve()),
		get waiting() {
			return pending.length;
		},
	};
}

function tracked<T>(promise: Promise<T>) {
	const state = { done: false, value: undefined as T | undefined };
	void promise.then((value) => {
		state.done = true;
		state.value = value;
	});
	return state;
}

describe('createStartOrder', () => {
	it('gives turns in the order they were asked for, each after the previous submit was sent and the event loop turned', async () => {
		const io = manualYield();
		const order = createStartOrder(io.yieldToIo);
		const first = tracked(order.turn());
		const second = tracked(order.turn());
		const third = tracked(order.turn());
		await settle();
		expect([first.done, second.done, third.done]).toEqual([true, false, false]);

		const answered = order.submitSent();
		await settle();
		expect(second.done).toBe(false); // the submit just sent has not had its turn of the event loop
		io.release();
		await settle();
		expect([second.done, third.done]).toEqual([true, false]);
		answered();

		// An item that ends without a submit (bad input) passes its turn on too.
		second.value!.end();
		await settle();
		io.release();
		await settle();
		expect(third.done).toBe(true);
	});

	it('quiet waits until the held turn\'s submit is answered, not only sent', async () => {
		const order = createStartOrder(async () => undefined);
		await order.turn();
		const quiet = tracked(order.quiet());
		const answered = order.submitSent();
		await settle();
		expect(quiet.done).toBe(false);
		answered();
		await settle();
		expect(quiet.done).toBe(true);
	});

	it('quiet waits for the items waiting for a turn as well', async () => {
		const order = createStartOrder(async () => undefined);
		const holder = await order.turn();
		const waiting = tracked(order.turn());
		const quiet = tracked(order.quiet());
		holder.end();
		await settle();
		expect(waiting.done).toBe(true);
		expect(quiet.done).toBe(false);
		waiting.value!.end();
		await settle();
		expect(quiet.done).toBe(true);
	});

	it('quiet does not wait for turns begun after it was called, so new jobs cannot hold a result back for ever', async () => {
		const order = createStartOrder(async () => undefined);
		const holder = await order.turn();
		const quiet = tracked(order.quiet());
		const later = tracked(order.turn());
		holder.end();
		await settle();
		expect(later.done).toBe(true); // holds its turn now
		expect(quiet.done).toBe(true);
	});

	it('quiet resolves at once when nothing is starting, and rejects when its signal aborts', async () => {
		const order = createStartOrder(async () => undefined);
		await expect(order.quiet()).resolves.toBeUndefined();
		await order.turn();
		const controller = new AbortController();
		const quiet = order.quiet(controller.signal);
		controller.abort(new Error('stopped'));
		await expect(quiet).rejects.toThrow('stopped');
	});

	it('a submit sent with no turn held (a retried submit) is still waited for', async () => {
		const order = createStartOrder(async () => undefined);
		const answered = order.submitSent();
		const quiet = tracked(order.quiet());
		await settle();
		expect(quiet.done).toBe(false);
		answered();
		await settle();
		expect(quiet.done).toBe(true);
	});
});

describe('orderedTransport', () => {
	const JOB = '/fal-ai/flux-pro/requests/job-1';

	function recordingTransport() {
		const reached: string[] = [];
		const answers: Array<() => void> = [];
		const transport: Transport = {
			send: async (request: TransportRequest) => {
				reached.push(`${request.method} ${request.path}`);
				if (request.method === 'POST') await new Promise<void>((resolve) => answers.push(resolve));
				return { status: 200, headers: {}, body: {} };
			},
			openEventStream: async (request: TransportRequest) => {
				reached.push(`STREAM ${request.path}`);
				return { status: 200, headers: {}, chunks: (async function* () {})(), close: () => undefined };
			},
		};
		return { transport, reached, answerSubmits: () => answers.splice(0).forEach((resolve) => resolve()) };
	}

	it('holds result fetches and status streams while an item prepares or its submit is unanswered; never a status poll', async () => {
		const { transport, reached, answerSubmits } = recordingTransport();
		const order = createStartOrder(async () => undefined);
		const ordered = orderedTransport(transport, order);
		await order.turn(); // the next item is reading its parameters

		const result = ordered.send({ method: 'GET', path: JOB });
		const stream = ordered.openEventStream!({ method: 'GET', path: `${JOB}/status/stream` });
		const poll = ordered.send({ method: 'GET', path: `${JOB}/status` });
		const cancel = ordered.send({ method: 'PUT', path: `${JOB}/cancel` });
		await settle();
		expect(reached).toEqual([`GET ${JOB}/status`, `PUT ${JOB}/cancel`]);

		const submit = ordered.send({ method: 'POST', path: '/fal-ai/flux-pro/kontext', body: {} });
		await settle();
		expect(reached).toEqual([`GET ${JOB}/status`, `PUT ${JOB}/cancel`, 'POST /fal-ai/flux-pro/kontext']);

		answerSubmits();
		await Promise.all([submit, result, stream, poll, cancel]);
		expect(reached.slice(3)).toEqual([`GET ${JOB}`, `STREAM ${JOB}/status/stream`]);
	});

	it('sends everything at once when no item is starting (Get Result, Get Status)', async () => {
		const { transport, reached } = recordingTransport();
		const ordered = orderedTransport(transport, createStartOrder(async () => undefined));
		await ordered.send({ method: 'GET', path: JOB });
		await ordered.openEventStream!({ method: 'GET', path: `${JOB}/status/stream` });
		expect(reached).toEqual([`GET ${JOB}`, `STREAM ${JOB}/status/stream`]);
	});

	it('keeps a transport without a status stream without one', () => {
		const ordered = orderedTransport({ send: async () => ({ status: 200, headers: {}, body: {} }) }, createStartOrder(async () => undefined));
		expect(ordered.openEventStream).toBeUndefined();
	});
});

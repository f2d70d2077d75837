// The node's execute logic in a hand-built n8n context whose HTTP is real, against the emulator.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '@anyapi-kontext/emulator';
import { NodeApiError, NodeOperationError, type INodeExecutionData } from 'n8n-workflow';
import { AnyApiApi } from '../credentials/AnyApiApi.credentials';
import { AnyApiKontext } from '../nodes/AnyApiKontext/AnyApiKontext.node';
import { binaryItem, fakeContext, imageJobParameters, sentImages, type FakeOptions } from './fake-context.mjs';

const PNG = fs.readFileSync(path.join(import.meta.dirname, '..', 'e2e', 'fixtures', 'input.png'));
const PNG_B = fs.readFileSync(path.join(import.meta.dirname, '..', 'e2e', 'fixtures', 'input-b.png'));
const MULTI = '/fal-ai/flux-pro/kontext/max/multi';
const TEXT_TO_IMAGE = '/fal-ai/flux-pro/kontext/text-to-image';
const TEXT = Buffer.from('not an image');
let emulator: RunningEmulator;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, jobDuration: 30, concurrency: 8, seed: 1 });
});
afterAll(async () => {
	await emulator?.stop();
});
beforeEach(() => {
	emulator.configure({ jobDuration: 30, apiKey: emulator.apiKey });
	emulator.resetCounters();
});

async function execute(options: Partial<FakeOptions> & { parameters: FakeOptions['parameters'] }) {
	const context = fakeContext({
		items: [{ json: {} }],
		credentials: { apiKey: emulator.apiKey, baseUrl: emulator.url },
		...options,
	});
	return await new AnyApiKontext().execute.call(context);
}

async function waitFor(condition: () => boolean, timeout = 15_000): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

const edit = (extra: Record<string, unknown> = {}) => imageJobParameters('edit', extra);

function first(out: INodeExecutionData[][]): INodeExecutionData {
	return out[0]![0]!;
}

async function caught(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected a rejection');
}

describe('Image > Edit', () => {
	it('follows the status stream through n8n\'s helper: no status poll at all', async () => {
		emulator.configure({ stream: true });
		const [out] = await execute({ items: [binaryItem(PNG, 'image/png', 'in.png')], parameters: edit() });
		expect(first([out!]).binary?.data).toBeDefined();
		const counters = emulator.counters;
		expect(counters.stream).toBe(1);
		expect(counters.status).toBe(0);
		expect(counters.submits).toBe(1);
		expect(counters.result).toBe(1);
	});

	it('polls (adaptively, see the core) when the server has no stream', async () => {
		emulator.configure({ stream: false, jobDuration: 60_000 });
		try {
			const running = execute({ items: [binaryItem(PNG, 'image/png', 'in.png')], parameters: edit() });
			await waitFor(() => emulator.counters.status >= 1);
			expect(emulator.counters.stream).toBe(1);
			emulator.finishRunningJobs();
			const [out] = await running;
			expect(first([out!]).binary?.data).toBeDefined();
		} finally {
			emulator.configure({ stream: true });
			emulator.finishRunningJobs();
		}
	});

	it('sends the binary image as a data URL and returns the edited images as binary', async () => {
		const requests: FakeOptions['requests'] = [];
		const [out] = await execute({
			items: [binaryItem(PNG, 'image/png', 'in.png')],
			parameters: edit({ numImages: 2, outputFormat: 'png' }),
			requests,
		});
		expect(out).toHaveLength(1);
		const item = out![0]!;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(Object.keys(item.binary!).sort()).toEqual(['data', 'data_1']);
		expect(item.binary!.data!.mimeType).toBe('image/png');
		// Named after the input file and the image's number; the request id stays in the JSON.
		expect(item.binary!.data!.fileName).toBe('in-kontext-1.png');
		expect(item.binary!.data_1!.fileName).toBe('in-kontext-2.png');
		expect(item.binary!.data_1!.mimeType).toBe('image/png');
		expect(Buffer.from(item.binary!.data!.data, 'base64').subarray(1, 4).toString()).toBe('PNG');
		expect(item.json).toMatchObject({ prompt: 'Add a hat', imageCount: 2, hasNsfwConcepts: [false, false] });
		expect(typeof item.json.requestId).toBe('string');
		expect(typeof item.json.seed).toBe('number');
		expect((item.json.images as Array<{ width: number }>)[0]!.width).toBeGreaterThan(0);
		// Auth went only to AnyAPI, never to the file host the images were downloaded from.
		const submit = requests.find((r) => r.method === 'POST')!;
		expect(submit.headers.Authorization).toBe(`Bearer ${emulator.apiKey}`);
		const downloads = requests.filter((r) => r.url.includes('/files/'));
		expect(downloads).toHaveLength(2);
		for (const d of downloads) expect(d.headers.Authorization).toBeUndefined();
	});

	it('returns only the URLs with Download Images off', async () => {
		const [out] = await execute({
			items: [binaryItem(PNG, 'image/png', 'in.png')],
			parameters: edit({ options: { downloadImages: false } }),
		});
		expect(out![0]!.binary).toBeUndefined();
		expect((out![0]!.json.images as Array<{ url: string }>)[0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
	});

	it('turns sync_mode data URIs into binary images, with no URL in the JSON', async () => {
		const [out] = await execute({
			items: [binaryItem(PNG, 'image/png', 'in.png')],
			parameters: edit({ outputFormat: 'png', options: { syncMode: true } }),
		});
		const item = out![0]!;
		expect(item.binary!.data!.mimeType).toBe('image/png');
		expect(item.binary!.data!.fileName).toBe('in-kontext-1.png');
		expect(Buffer.from(item.binary!.data!.data, 'base64').subarray(1, 4).toString()).toBe('PNG');
		expect((item.json.images as Array<{ url: string | null }>)[0]!.url).toBeNull();
		expect(emulator.counters.files).toBe(0);
	});

	it("names the output after the URL's file, or after the prompt when the input has no file name", async () => {
		// An image the emulator serves, as a public URL.
		const source = first(await execute({ items: [binaryItem(PNG, 'image/png', 'in.png')], parameters: edit() }));
		const servedUrl = (source.json.images as Array<{ url: string }>)[0]!.url;
		const [out] = await execute({ parameters: edit({ imageSource: 'url', imageUrl: `${servedUrl}?download=1` }) });
		const expectedStem = new URL(servedUrl).pathname.split('/').pop()!.replace(/\.[a-z]+$/, '');
		expect(out![0]!.binary!.data!.fileName).toBe(`${expectedStem}-kontext-1.jpg`);
		expect(out![0]!.binary!.data!.mimeType).toBe('image/jpeg');

		const unnamed: INodeExecutionData = { json: {}, binary: { data: { data: PNG.toString('base64'), mimeType: 'image/png' } } };
		const [byPrompt] = await execute({ items: [unnamed], parameters: edit({ prompt: 'Add a red hat.', outputFormat: 'png' }) });
		expect(byPrompt![0]!.binary!.data!.fileName).toBe('add-a-red-hat-kontext-1.png');
	});

	it('processes items concurrently, keeps input order, and with Continue On Fail turns a bad item into an error item', async () => {
		emulator.configure({ jobDuration: 60_000 });
		const items: INodeExecutionData[] = [0, 1, 2, 3, 4].map((i) =>
			i === 2 ? binaryItem(TEXT, 'text/plain', 'notes.txt', { i }) : binaryItem(PNG, 'image/png', `in${i}.png`, { i }),
		);
		const running = execute({
			items,
			continueOnFail: true,
			parameters: edit({ prompt: (i: number) => `Prompt ${i}`, options: { concurrency: 4 } }),
		});
		// The jobs are held on the server: a node working item by item would never submit a second.
		await waitFor(() => emulator.counters.submits === 4);
		expect(emulator.counters.result).toBe(0);
		emulator.finishRunningJobs();
		const [out] = await running;
		expect(out!.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(out![2]!.json.error).toBe('Item 3: the file in binary field "data" (notes.txt) is not an image AnyAPI takes (its bytes start 6e 6f 74 20); its type is text/plain');
		expect(out![2]!.binary).toBeUndefined();
		for (const i of [0, 1, 3, 4]) {
			expect(out![i]!.json.prompt).toBe(`Prompt ${i}`);
			expect(out![i]!.binary!.data!.mimeType).toBe('image/jpeg');
		}
		expect(emulator.counters.submits).toBe(4);
	});

	it('starts the next job as soon as one ends on the server, while its images are still downloading', async () => {
		let letDownloadsGo = () => {};
		const downloadsHeld = new Promise<void>((resolve) => (letDownloadsGo = resolve));
		const running = execute({
			items: [binaryItem(PNG, 'image/png', 'a.png'), binaryItem(PNG, 'image/png', 'b.png')],
			parameters: edit({ prompt: (i: number) => `Prompt ${i}`, options: { concurrency: 1 } }),
			beforeDownload: () => downloadsHeld,
		});
		// The first job's images are held back: an item holding its place until they arrive would never submit the second.
		await waitFor(() => emulator.counters.submits === 2);
		expect(emulator.counters.files).toBe(0);
		letDownloadsGo();
		const [out] = await running;
		expect(out!.map((o) => o.json.prompt)).toEqual(['Prompt 0', 'Prompt 1']);
		expect(out!.map((o) => o.binary!.data!.mimeType)).toEqual(['image/jpeg', 'image/jpeg']);
		// Concurrency 1 still means one job on the server at a time.
		const [first, second] = out!.map((o) => emulator.jobTimes(String(o.json.requestId))!);
		expect(second!.startedAt!).toBeGreaterThanOrEqual(first!.endedAt!);
	});

	it('submits the next item\'s job before fetching the result of the job that made room for it', async () => {
		const [out] = await execute({
			items: [0, 1, 2].map((i) => binaryItem(PNG, 'image/png', `in${i}.png`)),
			parameters: edit({ prompt: (i: number) => `Prompt ${i}`, options: { concurrency: 1 } }),
		});
		const [first, second, third] = out!.map((o) => emulator.jobTimes(String(o.json.requestId))!);
		// Each submit starts a job's clock; a result fetched a moment later costs nothing.
		expect(second!.receivedAt).toBeLessThan(first!.resultRequestedAt!);
		expect(third!.receivedAt).toBeLessThan(second!.resultRequestedAt!);
		expect(out!.map((o) => o.json.prompt)).toEqual(['Prompt 0', 'Prompt 1', 'Prompt 2']);
	});

	it('items prepare and submit one at a time, in item order: an item reads its parameters once the one before has sent its submit', async () => {
		emulator.configure({ jobDuration: 60_000 });
		const requests: NonNullable<FakeOptions['requests']> = [];
		const submitsSentWhenRead: number[] = [];
		const running = execute({
			items: [0, 1, 2, 3].map((i) => binaryItem(PNG, 'image/png', `in${i}.png`)),
			requests,
			parameters: edit({
				prompt: (i: number) => {
					submitsSentWhenRead[i] ??= requests.filter((request) => request.method === 'POST').length;
					return `Prompt ${i}`;
				},
				options: { concurrency: 4 },
			}),
		});
		await waitFor(() => emulator.counters.submits === 4);
		emulator.finishRunningJobs();
		const [out] = await running;
		// Read all at once, the first submit would go out only after the last item was ready.
		expect(submitsSentWhenRead).toEqual([0, 1, 2, 3]);
		const received = out!.map((o) => emulator.jobTimes(String(o.json.requestId))!.receivedAt);
		expect(received).toEqual([...received].sort((a, b) => a - b));
	});

	it('runs with the default Concurrency when the option is not a number (found by the property test: an object without a prototype)', async () => {
		const [out] = await execute({
			items: [binaryItem(PNG, 'image/png', 'a.png'), binaryItem(PNG, 'image/png', 'b.png')],
			parameters: edit({ options: { concurrency: Object.create(null) } }),
		});
		expect(out!.map((o) => o.binary!.data!.mimeType)).toEqual(['image/jpeg', 'image/jpeg']);
		expect(emulator.counters.submits).toBe(2);
	});

	it('reads the credential once per run, not once per request', async () => {
		let reads = 0;
		const [out] = await execute({
			items: [binaryItem(PNG, 'image/png', 'a.png'), binaryItem(PNG, 'image/png', 'b.png')],
			parameters: edit(),
			onCredentialRead: () => (reads += 1),
		});
		expect(out).toHaveLength(2);
		expect(emulator.counters.submit + emulator.counters.result).toBeGreaterThanOrEqual(4);
		expect(reads).toBe(1);
	});

	it('without Continue On Fail, fails with a NodeOperationError naming the item', async () => {
		const error = await caught(
			execute({
				items: [binaryItem(PNG, 'image/png', 'a.png'), binaryItem(TEXT, 'text/plain', 'b.txt')],
				parameters: edit(),
			}),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Item 2: the file in binary field "data" \(b\.txt\) is not an image AnyAPI takes/);
		expect((error as NodeOperationError).context.itemIndex).toBe(1);
	});

	it('names the field and the allowed range when a value is out of range, sending nothing', async () => {
		const error = await caught(
			execute({ items: [binaryItem(PNG, 'image/png', 'a.png')], parameters: edit({ guidanceScale: 50 }) }),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Invalid input: Guidance Scale must be .*20.*50/);
		expect(emulator.counters.submits).toBe(0);
	});

	it('says the key was refused, and never shows the key', async () => {
		const key = 'sk-wrong-unit-test-key-123456';
		const error = await caught(
			execute({
				items: [binaryItem(PNG, 'image/png', 'a.png')],
				parameters: edit(),
				credentials: { apiKey: key, baseUrl: emulator.url },
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('The API key was refused by AnyAPI (401 Unauthorized)');
		expect((error as NodeApiError).httpCode).toBe('401');
		expect(JSON.stringify(error)).not.toContain(key);
		expect(String(error.stack)).not.toContain(key);
	});

	it('reports a job that failed on the server, with its request id', async () => {
		const [out] = await execute({
			items: [binaryItem(PNG, 'image/png', 'a.png')],
			continueOnFail: true,
			parameters: edit({ prompt: 'A hat [fail-at-result]' }),
		});
		expect(String(out![0]!.json.error)).toMatch(/content policy|422/);
		expect(typeof out![0]!.json.requestId).toBe('string');
	});

	it('cancels the jobs still running on the server when the execution is stopped', async () => {
		emulator.configure({ jobDuration: 10_000 });
		const controller = new AbortController();
		const running = execute({
			items: [binaryItem(PNG, 'image/png', 'a.png'), binaryItem(PNG, 'image/png', 'b.png')],
			parameters: edit(),
			cancelSignal: controller.signal,
		});
		await waitFor(() => emulator.counters.submits === 2);
		controller.abort();
		const error = await caught(running);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/The execution was stopped; job .* was cancelled on the server/);
		expect(emulator.counters.cancels).toBe(2);
	});

	it('cancels the job and says so when the time-out runs out', async () => {
		emulator.configure({ jobDuration: 10_000 });
		const error = await caught(
			execute({ items: [binaryItem(PNG, 'image/png', 'a.png')], parameters: edit({ options: { timeoutMinutes: 0.01 } }) }),
		);
		expect(error.message).toMatch(/did not finish within 1 seconds|did not finish within 0\.6 seconds|did not finish within \d+ seconds; it was cancelled on the server/);
		expect(emulator.counters.cancels).toBe(1);
	});

	// n8n 1.x drops the NodeApiError's cause; the code survives in httpCode. Both must read alike.
	it.each([1, 2] as const)('says it cannot reach AnyAPI, with the network error code, after retrying (n8n %s.x error shape)', async (n8nVersion) => {
		const closed = await new Promise<number>((resolve) => {
			const server = net.createServer().listen(0, '127.0.0.1', () => {
				const { port } = server.address() as net.AddressInfo;
				server.close(() => resolve(port));
			});
		});
		const requests: NonNullable<FakeOptions['requests']> = [];
		const error = await caught(
			execute({
				items: [binaryItem(PNG, 'image/png', 'a.png')],
				parameters: edit(),
				credentials: { apiKey: 'k', baseUrl: `http://127.0.0.1:${closed}` },
				n8nVersion,
				requests,
			}),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Could not reach AnyAPI at http://127.0.0.1:${closed}`);
		expect((error as NodeOperationError).description).toBe(
			'Network error ECONNREFUSED after 4 attempts. Check the Base URL in the credential and your network.',
		);
		expect(requests).toHaveLength(4);
	}, 60_000);
});

describe('Model', () => {
	const twoImages = (): INodeExecutionData => ({
		json: {},
		binary: {
			scene: { data: PNG.toString('base64'), mimeType: 'image/png', fileName: 'scene.png' },
			subject: { data: PNG_B.toString('base64'), mimeType: 'image/png', fileName: 'subject.png' },
		},
	});

	it('Kontext [max] Multi: several binary fields of one item go in one job, in order', async () => {
		const [out] = await execute({
			items: [twoImages()],
			parameters: { resource: 'image', operation: 'edit', model: MULTI, imageSource: 'binary', binaryPropertyNames: 'scene, subject', prompt: 'Combine them', outputFormat: 'png', options: {} },
		});
		expect(emulator.counters.submits).toBe(1);
		const item = out![0]!;
		expect(item.binary!.data!.mimeType).toBe('image/png');
		// The emulator puts a multi model's inputs side by side (96x64 and 64x32 as 128x64: 7:2), at Kontext's widest 1 MP size.
		expect(item.json.images).toEqual([expect.objectContaining({ width: 1568, height: 672 })]);
		const [swapped] = await execute({
			items: [twoImages()],
			parameters: { resource: 'image', operation: 'edit', model: MULTI, imageSource: 'binary', binaryPropertyNames: 'subject,scene', prompt: 'Combine them', options: {} },
		});
		// In the order given, as the job's echo of its input shows.
		expect(await sentImages(emulator, item.json.requestId)).toEqual([PNG, PNG_B]);
		expect(await sentImages(emulator, swapped![0]!.json.requestId)).toEqual([PNG_B, PNG]);
	});

	it('Kontext [max] Multi: a missing binary field names the fields the item has, and nothing is sent', async () => {
		const error = await caught(
			execute({
				items: [twoImages()],
				parameters: { resource: 'image', operation: 'submit', model: MULTI, imageSource: 'binary', binaryPropertyNames: 'scene, hat', prompt: 'x', options: {} },
			}),
		);
		expect(error.message).toBe('Item 1 has no binary field "hat"');
		expect((error as NodeOperationError).description).toBe('Its binary fields are: scene, subject. Set Input Binary Fields to some of them.');
		expect(emulator.counters.submits).toBe(0);
	});

	it('text to image: the prompt alone, a field of another model left out', async () => {
		const [out] = await execute({
			items: [{ json: {} }],
			// Left from an edit model: the text-to-image model has no image field, so none is sent (fal would refuse it).
			parameters: { resource: 'image', operation: 'edit', model: TEXT_TO_IMAGE, imageSource: 'url', imageUrl: 'https://e.com/a.png', prompt: 'A lighthouse', aspectRatio: '16:9', options: {} },
		});
		const [image] = out![0]!.json.images as Array<{ width: number; height: number }>;
		// The emulator's (and Kontext's) 1 MP size nearest 16:9.
		expect([image!.width, image!.height]).toEqual([1392, 752]);
		expect(out![0]!.binary!.data!.mimeType).toBe('image/jpeg');
	});

	it('an unknown model is an error naming it, before anything is sent', async () => {
		const error = await caught(execute({ parameters: { ...edit(), model: '/fal-ai/flux-pro/kontext/ultra' } }));
		expect(error.message).toBe('Item 1: the model "/fal-ai/flux-pro/kontext/ultra" is not one this node knows');
		expect(emulator.counters.total).toBe(0);
	});
});

describe('Image > Submit, Get Status, Get Result, Cancel; Account > Get Usage', () => {
	it('submits, follows and fetches a job by its request id', async () => {
		const submitted = first(await execute({
			items: [binaryItem(PNG, 'image/png', 'a.png')],
			parameters: { ...edit(), operation: 'submit' },
		}));
		expect(submitted!.json).toMatchObject({ status: 'IN_QUEUE' });
		expect(String(submitted!.json.statusUrl)).toContain(emulator.url);
		const requestId = String(submitted!.json.requestId);
		let status = '';
		for (let i = 0; i < 750 && status !== 'COMPLETED'; i++) {
			const s = first(await execute({ parameters: { resource: 'image', operation: 'getStatus', requestId, includeLogs: false } }));
			status = String(s!.json.status);
			if (status !== 'COMPLETED') await new Promise((r) => setTimeout(r, 20));
		}
		expect(status).toBe('COMPLETED');
		const result = first(await execute({
			parameters: { resource: 'image', operation: 'getResult', requestId, options: { binaryPropertyOutput: 'edited' } },
		}));
		expect(result!.json.requestId).toBe(requestId);
		expect(result!.binary!.edited!.mimeType).toBe('image/jpeg');
		// Get Result knows no input file: the files are named after the job's prompt.
		expect(result!.binary!.edited!.fileName).toBe('add-a-hat-kontext-1.jpg');
		const cancelled = first(await execute({ parameters: { resource: 'image', operation: 'cancel', requestId } }));
		expect(cancelled!.json).toEqual({ requestId, status: 'ALREADY_COMPLETED' });
	});

	it('gets the usage of the key', async () => {
		const usage = first(await execute({ parameters: { resource: 'account', operation: 'getUsage' } }));
		expect(usage!.pairedItem).toEqual({ item: 0 });
		expect(Object.keys(usage!.json).length).toBeGreaterThan(0);
	});

	it('a URL AnyAPI cannot download is refused with the field and what the API said', async () => {
		const error = await caught(
			execute({
				parameters: { ...edit(), operation: 'submit', imageSource: 'url', imageUrl: `${emulator.url}/files/none.png` },
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^AnyAPI refused the input: Image: .*\(422 file_download_error\)$/);
	});

	it('an unknown request id is a NodeApiError saying so', async () => {
		const error = await caught(execute({ parameters: { resource: 'image', operation: 'getResult', requestId: 'no-such-id' } }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/does not know this request/);
	});
});

describe('AnyAPI API credential', () => {
	it('its test request (usage, no cost) passes with the key and fails without it', async () => {
		const credential = new AnyApiApi();
		expect(credential.test.request).toMatchObject({ baseURL: '={{$credentials.baseUrl}}', url: '/api/usage/token/', method: 'GET' });
		const call = async (key: string) => {
			const request = await credential.authenticate({ apiKey: key }, { url: credential.test.request.url!, headers: { accept: 'application/json' } });
			expect(request.headers).toEqual({ accept: 'application/json', Authorization: `Bearer ${key}` });
			return await fetch(`${emulator.url}${request.url}`, { headers: request.headers as Record<string, string> });
		};
		expect((await call(emulator.apiKey)).status).toBe(200);
		expect((await call('wrong-key')).status).toBe(401);
		expect(emulator.counters.submits).toBe(0);
	});
});

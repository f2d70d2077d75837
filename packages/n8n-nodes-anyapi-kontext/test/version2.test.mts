// Node version 2 against the emulator: one output item per image, images as a list, Combine,
// and the answer an AI Agent gets when n8n runs the node as a tool. Version 1's shape is pinned
// by execute.test.mts (its fake node is version 1) and by the e2e.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '@anyapi-kontext/emulator';
import { NodeOperationError, type INodeExecutionData } from 'n8n-workflow';
import { AnyApiKontext } from '../nodes/AnyApiKontext/AnyApiKontext.node';
import { TOOL_DESCRIPTION } from '../nodes/AnyApiKontext/actions/toolDescription';
import { binaryItem, fakeContext, imageJobParameters, sentImages, type FakeOptions } from './fake-context.mjs';
import { shownProperties } from './shown.mjs';

const PNG = fs.readFileSync(path.join(import.meta.dirname, '..', 'e2e', 'fixtures', 'input.png'));
const PNG_B = fs.readFileSync(path.join(import.meta.dirname, '..', 'e2e', 'fixtures', 'input-b.png'));
const PNG_DATA_URL = `data:image/png;base64,${PNG.toString('base64')}`;
const PRO = '/fal-ai/flux-pro/kontext';
const MULTI = '/fal-ai/flux-pro/kontext/max/multi';
const TEXT_TO_IMAGE = '/fal-ai/flux-pro/kontext/text-to-image';
let emulator: RunningEmulator;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, jobDuration: 20, concurrency: 8, seed: 3 });
});
afterAll(async () => {
	await emulator?.stop();
});
beforeEach(() => {
	emulator.configure({ jobDuration: 20 });
	emulator.resetCounters();
});

type Run = Partial<FakeOptions> & { parameters: FakeOptions['parameters'] };

async function execute(options: Run): Promise<INodeExecutionData[]> {
	const context = fakeContext({
		items: [{ json: {} }],
		credentials: { apiKey: emulator.apiKey, baseUrl: emulator.url },
		typeVersion: 2,
		...options,
	});
	const [out] = await new AnyApiKontext().execute.call(context);
	return out!;
}

/** Edit in version 2, its images the `images` list (the editor's default: the item's `data`). */
function edit(extra: Record<string, unknown> = {}): Record<string, unknown> {
	const { imageSource: _source, binaryPropertyName: _field, ...parameters } = imageJobParameters('edit', extra);
	return { images: { image: [{ source: 'binary', binaryPropertyName: 'data' }] }, ...parameters };
}

const image = (item: INodeExecutionData) => item.binary!.data!;

describe('version 2: one output item per image', () => {
	it('returns each image as its own item, its binary in data, its JSON the job and the image, paired with its input', async () => {
		const out = await execute({ items: [binaryItem(PNG, 'image/png', 'in.png')], parameters: edit({ numImages: 2, outputFormat: 'png' }) });
		expect(out).toHaveLength(2);
		const requestId = out[0]!.json.requestId;
		expect(typeof requestId).toBe('string');
		out.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(Object.keys(item.binary!)).toEqual(['data']);
			expect(image(item).mimeType).toBe('image/png');
			expect(image(item).fileName).toBe(`in-kontext-${index + 1}.png`);
			expect(item.json).toMatchObject({
				requestId,
				model: PRO,
				prompt: 'Add a hat',
				imageCount: 2,
				imageNumber: index + 1,
				contentType: 'image/png',
				hasNsfwConcept: false,
				binaryField: 'data',
				fileName: `in-kontext-${index + 1}.png`,
				inputImages: [{ item: 0, binaryField: 'data', fileName: 'in.png' }],
			});
			expect(typeof item.json.seed).toBe('number');
			expect(item.json.width).toBeGreaterThan(0);
			expect(item.json.height).toBeGreaterThan(0);
			expect(String(item.json.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
		});
	});

	it('puts the image in the field Output Binary Field names, and only URLs with Download Images off', async () => {
		const named = await execute({ items: [binaryItem(PNG, 'image/png', 'in.png')], parameters: edit({ options: { binaryPropertyOutput: 'edited' } }) });
		expect(Object.keys(named[0]!.binary!)).toEqual(['edited']);
		expect(named[0]!.json.binaryField).toBe('edited');
		emulator.resetCounters();
		const urls = await execute({ items: [binaryItem(PNG, 'image/png', 'in.png')], parameters: edit({ numImages: 2, options: { downloadImages: false } }) });
		expect(urls).toHaveLength(2);
		for (const item of urls) {
			expect(item.binary).toBeUndefined();
			expect(String(item.json.url)).toMatch(/\/files\//);
		}
		expect(emulator.counters.files).toBe(0);
	});

	it('keeps items in input order, and with Continue On Fail a failing item stays one error item', async () => {
		const items = [0, 1, 2].map((i) => binaryItem(PNG, 'image/png', `in-${i}.png`, { i }));
		delete items[1]!.binary;
		const out = await execute({
			items,
			continueOnFail: true,
			parameters: edit({ numImages: 2, prompt: (i: number) => `Prompt ${i}` }),
		});
		expect(out.map((item) => [item.pairedItem, item.json.prompt ?? item.json.error])).toEqual([
			[{ item: 0 }, 'Prompt 0'],
			[{ item: 0 }, 'Prompt 0'],
			[{ item: 1 }, 'Item 2 has no binary field "data"'],
			[{ item: 2 }, 'Prompt 2'],
			[{ item: 2 }, 'Prompt 2'],
		]);
		expect(out[2]!.binary).toBeUndefined();
		expect(emulator.counters.submits).toBe(2);
	});

	it('Get Result returns one item per image too', async () => {
		const submitted = await execute({ items: [binaryItem(PNG, 'image/png', 'in.png')], parameters: { ...edit({ numImages: 2 }), operation: 'submit' } });
		const requestId = String(submitted[0]!.json.requestId);
		// A finished job: its status says so (the emulator holds it 20 ms).
		let status: unknown;
		do status = (await execute({ parameters: { resource: 'image', operation: 'getStatus', requestId } }))[0]!.json.status;
		while (status !== 'COMPLETED');
		const out = await execute({ parameters: { resource: 'image', operation: 'getResult', requestId, options: {} } });
		expect(out.map((item) => [item.json.requestId, item.json.imageNumber, Object.keys(item.binary!)])).toEqual([
			[requestId, 1, ['data']],
			[requestId, 2, ['data']],
		]);
	});
});

describe('version 2: images as a list', () => {
	it('takes each image from a binary field or a URL, in the list order, to a model that takes several', async () => {
		const item = binaryItem(PNG, 'image/png', 'scene.png');
		item.binary!.subject = { data: PNG_B.toString('base64'), mimeType: 'image/png', fileName: 'subject.png' };
		const out = await execute({
			items: [item],
			parameters: edit({
				model: MULTI,
				outputFormat: 'png',
				images: { image: [{ source: 'binary', binaryPropertyName: 'subject' }, { source: 'url', url: PNG_DATA_URL }] },
			}),
		});
		expect(emulator.counters.submits).toBe(1);
		expect(out).toHaveLength(1);
		// Both reached the job, in list order: subject first, then the URL's image (the job's echo).
		expect(out[0]!.json).toMatchObject({ model: MULTI });
		expect(await sentImages(emulator, out[0]!.json.requestId)).toEqual([PNG_B, PNG]);
		expect(out[0]!.json.inputImages).toEqual([
			{ item: 0, binaryField: 'subject', fileName: 'subject.png' },
			{ item: 0, url: 'data URL' },
		]);
		expect(image(out[0]!).fileName).toBe('subject-kontext-1.png');
	});

	it('refuses two images for a model that takes one, naming the model, before sending anything', async () => {
		const error = await execute({
			items: [binaryItem(PNG, 'image/png', 'in.png')],
			parameters: edit({ images: { image: [{ source: 'binary', binaryPropertyName: 'data' }, { source: 'url', url: PNG_DATA_URL }] } }),
		}).catch((e: unknown) => e as Error);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('Item 1: FLUX.1 Kontext [pro] takes one image (got 2)');
		expect(emulator.counters.total).toBe(0);
	});

	it('Combine sends the images of all items, in item order, to one job whose output is paired with every item', async () => {
		const items = [binaryItem(PNG, 'image/png', 'scene.png'), binaryItem(PNG_B, 'image/png', 'subject.png')];
		const out = await execute({ items, parameters: edit({ model: MULTI, combineItems: true, outputFormat: 'png', prompt: (i: number) => `Prompt ${i}` }) });
		expect(emulator.counters.submits).toBe(1);
		expect(out).toHaveLength(1);
		expect(out[0]!.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		// Both items' images, in item order (the job's echo of its input).
		expect(out[0]!.json).toMatchObject({ prompt: 'Prompt 0' });
		expect(await sentImages(emulator, out[0]!.json.requestId)).toEqual([PNG, PNG_B]);
		expect((out[0]!.json.inputImages as Array<{ item: number }>).map((i) => i.item)).toEqual([0, 1]);
	});

	it('a combined job that fails under Continue On Fail is one error item, paired with every item', async () => {
		const items = [binaryItem(PNG, 'image/png', 'a.png'), { json: {} }];
		const out = await execute({ items, continueOnFail: true, parameters: edit({ model: MULTI, combineItems: true }) });
		expect(out).toEqual([{ json: expect.objectContaining({ error: 'Item 2 has no binary field "data"' }), pairedItem: [{ item: 0 }, { item: 1 }] }]);
		expect(emulator.counters.total).toBe(0);
	});

	it('Combine of Submit returns one ticket paired with every item; without Combine, one job per item', async () => {
		const items = [binaryItem(PNG, 'image/png', 'a.png'), binaryItem(PNG_B, 'image/png', 'b.png')];
		const combined = await execute({ items, parameters: { ...edit({ model: MULTI, combineItems: true }), operation: 'submit' } });
		expect(combined).toHaveLength(1);
		expect(combined[0]!.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(emulator.counters.submits).toBe(1);
		const separate = await execute({ items, parameters: { ...edit({ model: MULTI }), operation: 'submit' } });
		expect(separate.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(emulator.counters.submits).toBe(3);
	});

	it('a text-to-image model takes no image list', async () => {
		const out = await execute({ parameters: edit({ model: TEXT_TO_IMAGE, images: undefined, prompt: 'A lighthouse.' }) });
		expect(out[0]!.json).toMatchObject({ model: TEXT_TO_IMAGE, inputImages: [] });
		expect(image(out[0]!).fileName).toBe('a-lighthouse-kontext-1.jpg');
	});
});

describe('version 2 as an AI Agent tool', () => {
	const tool = { nodeType: 'CUSTOM.anyApiKontextTool', typeVersion: 2 };

	it('takes image URLs and answers with the result URLs in a short JSON, no binary', async () => {
		const out = await execute({ ...tool, items: [{ json: { prompt: 'Add a hat', toolCallId: 'call_1' } }], parameters: edit({ toolImageUrls: PNG_DATA_URL, numImages: 2 }) });
		expect(out).toHaveLength(1);
		expect(out[0]!.binary).toBeUndefined();
		const answer = out[0]!.json;
		expect(Object.keys(answer).sort()).toEqual(['imageUrls', 'images', 'model', 'prompt', 'requestId', 'status']);
		expect(answer).toMatchObject({ status: 'COMPLETED', model: PRO, prompt: 'Add a hat' });
		expect(answer.imageUrls).toHaveLength(2);
		for (const url of answer.imageUrls as string[]) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
		// Nothing downloaded: the agent gets URLs.
		expect(emulator.counters.files).toBe(0);
		expect(JSON.stringify(answer).length).toBeLessThan(800);
	});

	it('says clearly when the URL is not one, or when none was given', async () => {
		const error = await execute({ ...tool, parameters: edit({ toolImageUrls: 'the photo' }) }).catch((e: unknown) => e as Error);
		expect((error as Error).message).toBe('Item 1: Image URL must be an http(s) URL (got "the photo")');
		const none = await execute({ ...tool, parameters: edit({ toolImageUrls: ' ' }) }).catch((e: unknown) => e as Error);
		expect((none as Error).message).toBe('Image URLs is empty: this model edits one image');
		expect(emulator.counters.total).toBe(0);
	});

	it('version 1 run as a tool keeps its old behaviour (binary in one item)', async () => {
		const [out] = await new AnyApiKontext().execute.call(
			fakeContext({
				items: [binaryItem(PNG, 'image/png', 'in.png')],
				credentials: { apiKey: emulator.apiKey, baseUrl: emulator.url },
				nodeType: 'CUSTOM.anyApiKontextTool',
				typeVersion: 1,
				parameters: imageJobParameters('edit', { numImages: 2 }),
			}),
		);
		expect(out).toHaveLength(1);
		expect(Object.keys(out![0]!.binary!).sort()).toEqual(['data', 'data_1']);
	});
});

describe('version 2 properties', () => {
	const editOf = (model: string) => ({ resource: 'image', operation: 'edit', model });
	const names = (list: { name: string }[]) => list.map((p) => p.name);

	it('version 1 keeps its image parameters; version 2 shows the Images list and, for a multi-image model, Combine', () => {
		expect(names(shownProperties({ ...editOf(PRO), imageSource: 'binary' }, { version: 1 }))).toEqual(expect.arrayContaining(['imageSource', 'binaryPropertyName']));
		const v2 = names(shownProperties({ ...editOf(PRO), images: {} }, { version: 2 }));
		expect(v2).toContain('images');
		for (const old of ['imageSource', 'binaryPropertyName', 'imageUrl', 'combineItems', 'toolImageUrls', 'toolDescription']) expect(v2).not.toContain(old);
		expect(names(shownProperties(editOf(MULTI), { version: 2 }))).toEqual(expect.arrayContaining(['images', 'combineItems']));
		expect(names(shownProperties(editOf(TEXT_TO_IMAGE), { version: 2 }))).not.toContain('images');
	});

	it('as a tool, version 2 asks for Image URLs and describes itself as URLs in, URLs out; version 1 keeps n8n\'s own pair', () => {
		const v2 = shownProperties(editOf(PRO), { version: 2, tool: true });
		expect(names(v2)).toEqual(expect.arrayContaining(['toolDescription', 'toolImageUrls']));
		expect(names(v2)).not.toContain('images');
		expect(v2.find((p) => p.name === 'toolDescription')!.default).toBe(TOOL_DESCRIPTION);
		// The AI model gives the URLs unless the user sets them: n8n makes the tool's `imageUrls` argument from it.
		expect(v2.find((p) => p.name === 'toolImageUrls')!.default).toMatch(/^=\{\{ \$fromAI\('imageUrls', /);
		expect(TOOL_DESCRIPTION).toMatch(/URLs of the images/);
		const v1 = names(shownProperties(editOf(PRO), { version: 1, tool: true }));
		expect(v1).toContain('descriptionType');
		expect(v1).not.toContain('toolImageUrls');
	});

	it('new nodes get version 2', () => {
		const { description } = new AnyApiKontext();
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
	});
});

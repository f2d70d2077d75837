// Version 2's Model: From List (the generated models, with their fields) or By Path (any
// fal-queue path AnyAPI relays, its input as JSON), against the emulator serving one model the
// spec does not list (its `extraModels` option). What n8n shows is n8n's own displayParameter
// and getNodeParameters on the `__rl` values the editor saves.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '@anyapi-kontext/emulator';
import { NodeHelpers, NodeOperationError, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';
import { AnyApiKontext } from '../nodes/AnyApiKontext/AnyApiKontext.node';
import { searchModels } from '../nodes/AnyApiKontext/shared/modelFields';
import { binaryItem, fakeContext, type FakeOptions } from './fake-context.mjs';
import { shownProperties } from './shown.mjs';

const PNG = fs.readFileSync(path.join(import.meta.dirname, '..', 'e2e', 'fixtures', 'input.png'));
const PRO = '/fal-ai/flux-pro/kontext';
const MULTI = '/fal-ai/flux-pro/kontext/max/multi';
const TEXT_TO_IMAGE = '/fal-ai/flux-pro/kontext/text-to-image';
const UNLISTED = '/fal-ai/nano-banana/edit';
const fromList = (value: string) => ({ __rl: true, mode: 'list', value });
const byPath = (value: string) => ({ __rl: true, mode: 'path', value });
let emulator: RunningEmulator;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, jobDuration: 20, concurrency: 4, seed: 5, extraModels: { [UNLISTED]: 'multiple' } });
});
afterAll(async () => {
	await emulator?.stop();
});
beforeEach(() => emulator.resetCounters());

type Run = Partial<FakeOptions> & { parameters: FakeOptions['parameters'] };

async function execute(options: Run): Promise<INodeExecutionData[]> {
	const context = fakeContext({
		items: [binaryItem(PNG, 'image/png', 'in.png')],
		credentials: { apiKey: emulator.apiKey, baseUrl: emulator.url },
		typeVersion: 2,
		...options,
	});
	const [out] = await new AnyApiKontext().execute.call(context);
	return out!;
}

const failure = async (options: Run) => await execute(options).then(() => new Error('it did not fail'), (error: unknown) => error as Error);

/** An Edit By Path with the editor's defaults for the By Path fields. */
function pathEdit(model: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		resource: 'image',
		operation: 'edit',
		model,
		images: { image: [{ source: 'binary', binaryPropertyName: 'data' }] },
		prompt: 'Two cats on a sofa',
		imageField: 'image_urls',
		pathInput: '{}',
		options: {},
		...extra,
	};
}

describe('what n8n shows for the Model locator (n8n-workflow displayParameter, `__rl` values)', () => {
	const names = (parameters: Record<string, unknown>, version = 2) => shownProperties(parameters, { version }).map((p) => p.name);
	const edit = (model: unknown) => ({ resource: 'image', operation: 'edit', model });

	it('From List: the listed model\'s generated fields, and no By Path fields', () => {
		const shown = names(edit(fromList(PRO)));
		expect(shown).toEqual(expect.arrayContaining(['model', 'images', 'prompt', 'guidanceScale', 'numImages', 'outputFormat']));
		for (const hidden of ['pathInput', 'imageField', 'combineItems']) expect(shown).not.toContain(hidden);
		expect(names(edit(fromList(MULTI)))).toContain('combineItems');
		expect(names(edit(fromList(TEXT_TO_IMAGE)))).not.toContain('images');
	});

	it('By Path to a path the node does not list: Prompt, Images, Send Images As and Input (JSON), no generated fields', () => {
		const shown = shownProperties(edit(byPath(UNLISTED)), { version: 2 });
		expect(shown.map((p) => p.name)).toEqual(['resource', 'operation', 'model', 'images', 'prompt', 'imageField', 'pathInput', 'options']);
		expect(shown.find((p) => p.name === 'prompt')!.required).toBeFalsy();
	});

	it('By Path to a listed path: that model\'s fields, as From List', () => {
		expect(names(edit(byPath(MULTI)))).toEqual(names(edit(fromList(MULTI))));
	});

	it('version 1 keeps its Model options; version 2 has the locator', () => {
		const v1 = shownProperties(edit(PRO), { version: 1 }).find((p) => p.name === 'model')!;
		expect(v1.type).toBe('options');
		const v2 = shownProperties(edit(fromList(PRO)), { version: 2 }).find((p) => p.name === 'model')!;
		expect(v2.type).toBe('resourceLocator');
		expect(v2.modes!.map((mode) => mode.name)).toEqual(['list', 'path']);
	});

	it('n8n keeps the fields of the model shown and drops the others when it loads the node (getNodeParameters)', () => {
		const { description } = new AnyApiKontext();
		const node = (parameters: INodeParameters) => ({ typeVersion: 2, type: 'CUSTOM.anyApiKontext', parameters }) as never;
		const load = (parameters: INodeParameters) => NodeHelpers.getNodeParameters(description.properties, parameters, false, false, node(parameters), description)!;
		const listed = load({ ...edit(fromList(PRO)), guidanceScale: 5, pathInput: '{"x":1}' } as INodeParameters);
		expect(listed.guidanceScale).toBe(5);
		expect(listed.pathInput).toBeUndefined();
		const unlisted = load({ ...edit(byPath(UNLISTED)), guidanceScale: 5, pathInput: '{"x":1}' } as INodeParameters);
		expect(unlisted.pathInput).toBe('{"x":1}');
		expect(unlisted.guidanceScale).toBeUndefined();
	});

	it('From List offers the generated models of the node\'s version, filtered by what is typed', async () => {
		const version2 = { getNode: () => ({ typeVersion: 2 }) } as never;
		const all = await searchModels.call(version2);
		expect(all.results.map((r) => r.value)).toEqual([
			'/fal-ai/flux-pro/kontext/max',
			'/fal-ai/flux-pro/kontext/max/multi',
			'/fal-ai/flux-pro/kontext',
			'/fal-ai/flux-pro/kontext/text-to-image',
		]);
		expect((await searchModels.call(version2, 'multi')).results).toEqual([{ name: 'FLUX.1 Kontext [max] Multi', value: MULTI }]);
		// n8n's editor calls it without getNode: the latest version's models.
		expect(await searchModels.call({} as never)).toEqual(all);
	});
});

describe('running a model By Path', () => {
	it('sends Input (JSON) with the Prompt and the Images filled in, follows the job on its own app, one item per image', async () => {
		const out = await execute({ parameters: pathEdit(byPath(UNLISTED), { pathInput: '{"num_images": 2, "strength": 0.4}' }) });
		expect(out).toHaveLength(2);
		out.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(item.binary!.data!.fileName).toBe(`in-kontext-${index + 1}.jpg`);
			expect(item.json).toMatchObject({ model: UNLISTED, prompt: 'Two cats on a sofa', imageCount: 2, imageNumber: index + 1 });
		});
		expect(emulator.counters).toMatchObject({ submits: 1, result: 1, files: 2 });
	});

	it('Submit By Path returns the ticket, whose URLs name the model\'s app', async () => {
		const [ticket] = await execute({ parameters: { ...pathEdit(byPath(UNLISTED)), operation: 'submit' } });
		expect(String(ticket!.json.statusUrl)).toBe(`${emulator.url}/fal-ai/nano-banana/requests/${String(ticket!.json.requestId)}/status`);
	});

	it("Get Status, Get Result and Cancel follow a job By Path by its request ID and Model Path (version 2)", async () => {
		const [ticket] = await execute({ parameters: { ...pathEdit(byPath(UNLISTED)), operation: 'submit' } });
		const requestId = String(ticket!.json.requestId);
		const job = (operation: string, extra: Record<string, unknown> = {}) =>
			execute({ items: [{ json: {} }], parameters: { resource: 'image', operation, requestId, modelPath: UNLISTED, options: {}, ...extra } });
		for (;;) if ((await job('getStatus'))[0]!.json.status === 'COMPLETED') break;
		const images = await job('getResult');
		expect(images).toHaveLength(1);
		expect(images[0]!.binary!.data!.mimeType).toBe('image/jpeg');
		expect((await job('cancel'))[0]!.json).toEqual({ requestId, status: 'ALREADY_COMPLETED' });
		// Without the Model Path the job is looked for on the listed models' app.
		const lost = await failure({ items: [{ json: {} }], parameters: { resource: 'image', operation: 'getResult', requestId, options: {} } });
		expect(lost.message).toBe(`AnyAPI does not know this request (${requestId}) (404 Not Found)`);
		const bad = await failure({ items: [{ json: {} }], parameters: { resource: 'image', operation: 'getStatus', requestId, modelPath: 'nano-banana' } });
		expect(bad.message).toMatch(/^Invalid input: Model Path must be a fal-queue model path .* \(got "nano-banana"\) \(model nano-banana\)$/);
		const names = (version: number) => shownProperties({ resource: 'image', operation: 'getResult' }, { version }).map((p) => p.name);
		expect(names(2)).toContain('modelPath');
		expect(names(1)).not.toContain('modelPath');
	});

	it('From List and By Path to a listed path run the listed model, its fields checked as before', async () => {
		const listed = { resource: 'image', operation: 'edit', images: { image: [{ source: 'binary', binaryPropertyName: 'data' }] }, prompt: 'Add a hat', options: {} };
		const out = await execute({ parameters: { ...listed, model: fromList(PRO), numImages: 1 } });
		expect(out[0]!.json).toMatchObject({ model: PRO, prompt: 'Add a hat' });
		const error = await failure({ parameters: { ...listed, model: byPath(PRO), guidanceScale: 99 } });
		expect(error.message).toBe('Invalid input: Guidance Scale must be a number from 1 to 20 (got 99)');
		expect(emulator.counters.submits).toBe(1);
	});

	it('a listed path given by an expression is By Path (n8n showed the By Path fields for it), its input still checked by its schema', async () => {
		const error = await failure({
			parameters: pathEdit(byPath(PRO), { imageField: 'image_url', pathInput: '{"guidance_scale": 99}' }),
			savedParameters: { model: byPath('={{ $json.model }}') },
		});
		expect(error.message).toBe('Invalid input: Guidance Scale must be a number from 1 to 20 (got 99) (model /fal-ai/flux-pro/kontext)');
		expect(emulator.counters.total).toBe(0);
	});
});

describe('errors By Path name the path', () => {
	it('a malformed path, before any request', async () => {
		const error = await failure({ parameters: pathEdit(byPath('fal-ai/nano-banana')) });
		expect(error.message).toMatch(/^Invalid input: Model \(By Path\) must be a fal-queue model path \/owner\/app or \/owner\/app\/sub\.\.\..* \(got "fal-ai\/nano-banana"\) \(model fal-ai\/nano-banana\)$/);
		expect(emulator.counters.total).toBe(0);
	});

	it('a Model an expression made something other than a text (an object without a prototype too), as an n8n error', async () => {
		const odd = Object.create(null) as Record<string, unknown>;
		for (const value of [odd, 5]) {
			const error = await failure({ parameters: pathEdit(byPath(value as never)) });
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(/^Item 1: Model must be a model from the list or a model path \(got (an object|5)\)$/);
		}
		const prompt = await failure({ parameters: pathEdit(byPath(UNLISTED), { prompt: odd }) });
		expect(prompt.message).toBe('Item 1 (model /fal-ai/nano-banana/edit): Prompt must be a text (got an object)');
		expect(emulator.counters.total).toBe(0);
	});

	it('a path AnyAPI does not have', async () => {
		const error = await failure({ parameters: pathEdit(byPath('/fal-ai/no-such-model/v9')) });
		expect(error.message).toBe('AnyAPI has no model at /fal-ai/no-such-model/v9 (404 Not Found)');
		expect(emulator.counters.submits).toBe(0);
	});

	it('a job that fails, with Continue On Fail: one error item naming the path', async () => {
		const out = await execute({ continueOnFail: true, parameters: pathEdit(byPath(UNLISTED), { prompt: 'Two cats [fail]' }) });
		expect(out).toHaveLength(1);
		expect(String(out[0]!.json.error)).toMatch(/\(model \/fal-ai\/nano-banana\/edit\)$/);
		expect(out[0]!.json.model).toBe(UNLISTED);
	});

	it('Input (JSON) that is not an object, a field set twice, two images as image_url: each named, before any request', async () => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ pathInput: '[1, 2]' }, 'Item 1 (model /fal-ai/nano-banana/edit): Input (JSON) must be a JSON object of the model\'s fields (got "[1, 2]")'],
			[{ pathInput: '{"prompt": oops' }, 'Item 1 (model /fal-ai/nano-banana/edit): Input (JSON) must be a JSON object of the model\'s fields (got "{\\"prompt\\": oops")'],
			[{ pathInput: '{"prompt": "x"}' }, 'Item 1 (model /fal-ai/nano-banana/edit): prompt is set in both Prompt and Input (JSON)'],
			[{ pathInput: '{"image_urls": []}' }, 'Item 1 (model /fal-ai/nano-banana/edit): image_urls is set in both Images and Input (JSON)'],
			[
				{ imageField: 'image_url', images: { image: [{ source: 'binary', binaryPropertyName: 'data' }, { source: 'binary', binaryPropertyName: 'data' }] } },
				'Item 1 (model /fal-ai/nano-banana/edit): Send Images As is image_url, which takes one image (got 2)',
			],
		];
		for (const [extra, message] of cases) expect((await failure({ parameters: pathEdit(byPath(UNLISTED), extra) })).message).toBe(message);
		expect(emulator.counters.total).toBe(0);
	});
});

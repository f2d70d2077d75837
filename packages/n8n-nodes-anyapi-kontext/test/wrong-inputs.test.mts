// Issue 7's table of wrong inputs, through the node's execute in a hand-built n8n context whose
// HTTP is real (the emulator counts every request): each is refused with an n8n error naming
// the problem, sends nothing, and never shows the key.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { startEmulator, type RunningEmulator } from '@anyapi-kontext/emulator';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { AnyApiKontext } from '../nodes/AnyApiKontext/AnyApiKontext.node';
import { binaryItem, fakeContext, imageJobParameters, type FakeOptions } from './fake-context.mjs';

const PNG = fs.readFileSync(path.join(import.meta.dirname, '..', 'e2e', 'fixtures', 'input.png'));
const KEY = 'sk-node-wrong-inputs-6f2a8c4e1d';
let emulator: RunningEmulator;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, apiKey: KEY, jobDuration: 30, seed: 3 });
});
afterAll(async () => {
	await emulator?.stop();
});
beforeEach(() => emulator.resetCounters());

const edit = (extra: Record<string, unknown> = {}) => imageJobParameters('edit', extra);
const job = (operation: string, requestId: unknown) => ({ resource: 'image', operation, requestId, options: {} });
const pngItem = () => binaryItem(PNG, 'image/png', 'a.png');

interface Row {
	parameters: Record<string, unknown>;
	items?: FakeOptions['items'];
	credentials?: { apiKey: string; baseUrl?: string };
	message: RegExp;
	/** What the error's description (n8n shows it under the message) must say. */
	description?: RegExp;
}

/** The core's committed HEIC and TIFF (packages/core/test/fixtures/README.md). */
const coreFixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'core', 'test', 'fixtures', name));

const NODE_WRONG_INPUTS: Record<string, Row> = {
	'Guidance Scale above its range': { parameters: edit({ guidanceScale: 50 }), message: /^Invalid input: Guidance Scale must be a number from 1 to 20 \(got 50\)$/ },
	'Guidance Scale negative': { parameters: edit({ guidanceScale: -1 }), message: /^Invalid input: Guidance Scale must be a number from 1 to 20 \(got -1\)$/ },
	'Guidance Scale as text': { parameters: edit({ guidanceScale: 'high' }), message: /^Invalid input: Guidance Scale must be a number from 1 to 20 \(got "high"\)$/ },
	'Number of Images 0': { parameters: edit({ numImages: 0 }), message: /^Invalid input: Number of Images must be a whole number from 1 to 4 \(got 0\)$/ },
	'Number of Images huge': { parameters: edit({ numImages: 1e21 }), message: /^Invalid input: Number of Images must be a whole number from 1 to 4 \(got 1e\+21\)$/ },
	'Number of Images not whole': { parameters: edit({ numImages: 2.5 }), message: /^Invalid input: Number of Images must be a whole number/ },
	'Output Format not allowed': { parameters: edit({ outputFormat: 'gif' }), message: /^Invalid input: Output Format must be one of "jpeg", "png" \(got "gif"\)$/ },
	'Safety Tolerance out of its choices': { parameters: edit({ safetyTolerance: '9' }), message: /^Invalid input: Safety Tolerance must be one of/ },
	'Seed negative': { parameters: edit({ options: { seed: -4 } }), message: /^Invalid input: Seed must be a whole number from 0 to 4294967295 \(got -4\)$/ },
	'an empty prompt': { parameters: edit({ prompt: '' }), message: /^Invalid input: Prompt is required/ },
	'a prompt of spaces': { parameters: edit({ prompt: '   ' }), message: /^Invalid input: Prompt must be a non-empty text \(got ""\)$/ },
	'an empty Image URL': { parameters: edit({ imageSource: 'url', imageUrl: '' }), message: /^Item 1: Image URL is empty$/ },
	'an ftp Image URL': { parameters: edit({ imageSource: 'url', imageUrl: 'ftp://files.example/a.png' }), message: /^Item 1: Image URL must be an http\(s\) URL/ },
	'an Image URL that is not a URL': { parameters: edit({ imageSource: 'url', imageUrl: 'a picture of a cat' }), message: /^Item 1: Image URL must be an http\(s\) URL/ },
	'a text file as the image': {
		parameters: edit(),
		items: [binaryItem(Buffer.from('not an image'), 'text/plain', 'b.txt')],
		message: /^Item 1: the file in binary field "data" \(b\.txt\) is not an image AnyAPI takes \(its bytes start 6e 6f 74 20\); its type is text\/plain$/,
	},
	'an empty file as the image': { parameters: edit(), items: [binaryItem(Buffer.alloc(0), 'image/png', 'empty.png')], message: /^Item 1: the file in binary field "data" \(empty\.png\) is empty \(0 bytes\)$/ },
	'an iPhone HEIC as the image': {
		parameters: edit(),
		items: [binaryItem(coreFixture('photo.heic'), 'image/heic', 'IMG_0001.HEIC')],
		message: /^Item 1: the file in binary field "data" \(IMG_0001\.HEIC\) is a HEIC\/HEIF file, which AnyAPI does not take$/,
		description: /^Convert it to JPEG first, e\.g\. `heif-convert photo\.heic photo\.jpg`/,
	},
	'a TIFF scan as the image': {
		parameters: edit(),
		items: [binaryItem(coreFixture('scan.tif'), 'image/tiff', 'scan.tif')],
		message: /^Item 1: the file in binary field "data" \(scan\.tif\) is a TIFF file, which AnyAPI does not take$/,
		description: /^Convert it to PNG or JPEG first/,
	},
	'a 21 MP image': {
		parameters: edit(),
		items: [binaryItem(await sharp({ create: { width: 5000, height: 4200, channels: 3, background: '#336699' } }).png({ compressionLevel: 1 }).toBuffer(), 'image/png', 'pano.png')],
		message: /^Item 1: the file in binary field "data" \(pano\.png\) is 5000 x 4200 pixels \(21\.0 MP\), above the 20 MP AnyAPI takes per image$/,
		description: /^Downscale it before this node, e\.g\. with an Edit Image node/,
	},
	'a 21 MB image': {
		parameters: edit(),
		// 2720 x 2720 x 3 bytes of noise, stored uncompressed: 21.2 MB (2^20 bytes each), 7.4 MP
		items: [binaryItem(await sharp(randomBytes(2720 * 2720 * 3), { raw: { width: 2720, height: 2720, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer(), 'image/png', 'scan.png')],
		message: /^Item 1: the file in binary field "data" \(scan\.png\) is 21\.2 MB, above the 20 MB AnyAPI takes per image$/,
		description: /^Downscale it before this node/,
	},
	'a binary field the item lacks': { parameters: edit({ binaryPropertyName: 'photo' }), message: /^Item 1 has no binary field "photo"$/ },
	'an unknown model': { parameters: edit({ model: '/fal-ai/nope' }), message: /^Item 1: the model "\/fal-ai\/nope" is not one this node knows$/ },
	'Time-Out 0': { parameters: edit({ options: { timeoutMinutes: 0 } }), message: /^Item 1: Time-Out must be above 0 minutes \(got 0\)$/ },
	'Time-Out negative': { parameters: edit({ options: { timeoutMinutes: -5 } }), message: /^Item 1: Time-Out must be above 0 minutes \(got -5\)$/ },
	'Time-Out infinite': { parameters: edit({ options: { timeoutMinutes: Infinity } }), message: /^Invalid input: .*timeout must be a number of milliseconds above 0 \(got Infinity\)$/i },
	'Get Result with an empty Request ID': { parameters: job('getResult', ''), message: /^Item 1: Request ID is empty$/ },
	'Get Status with a Request ID holding a slash': { parameters: job('getStatus', '../usage'), message: /^Invalid input: .*must be the request id a submit returned .*\(got "\.\.\/usage"\)$/i },
	'Cancel with a Request ID holding spaces': { parameters: job('cancel', 'my request id'), message: /^Invalid input: .*must be the request id a submit returned/i },
	'Get Result with a huge Request ID': { parameters: job('getResult', 'x'.repeat(5000)), message: /^Invalid input: .*must be the request id a submit returned .*\(got "x{20,}\.\.\.\)$/i },
	'a credential key with a line break inside': {
		parameters: edit(),
		credentials: { apiKey: `${KEY}\nsecond-line-9d7f3e6c2b` },
		message: /^The API Key of the "AnyAPI API" credential must be your AnyAPI key: one line of printable ASCII with no spaces inside \(it contains a line break\)$/,
	},
	'a credential key with a space inside': {
		parameters: job('getStatus', 'some-id'),
		credentials: { apiKey: 'sk-left-half-3e9a7c1f right-half-8b2d6f4a' },
		message: /^The API Key of the "AnyAPI API" credential must be .*\(it contains a space or a tab\)$/,
	},
	'a credential key with unicode inside': {
		parameters: { resource: 'account', operation: 'getUsage' },
		credentials: { apiKey: 'sk-ключ-секрет-7c3e9a1f' },
		message: /^The API Key of the "AnyAPI API" credential must be .*\(it contains a character that is not printable ASCII\)$/,
	},
	'a credential Base URL that is not http(s)': {
		parameters: edit(),
		credentials: { apiKey: KEY, baseUrl: 'ftp://files.example' },
		message: /^The Base URL of the "AnyAPI API" credential must be an http\(s\) URL such as https:\/\/www\.anyapi\.vip \(its scheme is not http or https\)$/,
	},
	'a credential Base URL that is not a URL': {
		parameters: edit(),
		credentials: { apiKey: KEY, baseUrl: 'anyapi' },
		message: /^The Base URL of the "AnyAPI API" credential must be an http\(s\) URL .*\(it is not a URL\)$/,
	},
};

async function failure(row: Row): Promise<Error> {
	const credentials = { apiKey: KEY, baseUrl: emulator.url, ...row.credentials };
	const context = fakeContext({ items: row.items ?? [pngItem()], parameters: row.parameters, credentials: { ...credentials, baseUrl: credentials.baseUrl } });
	try {
		await new AnyApiKontext().execute.call(context);
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to fail');
}

describe('wrong inputs to the node', () => {
	it.each(Object.entries(NODE_WRONG_INPUTS))('%s: a NodeOperationError naming it, nothing sent, no key', async (_name, row) => {
		const error = await failure(row);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(row.message);
		if (row.description) expect(String((error as NodeOperationError).description)).toMatch(row.description);
		expect(emulator.counters.total).toBe(0);
		const shown = [error.message, String((error as NodeOperationError).description ?? ''), String(error.stack), inspect(error, { depth: 6 }), JSON.stringify(error)].join('\n');
		for (const line of (row.credentials?.apiKey ?? KEY).split('\n')) expect(shown).not.toContain(line.trim());
	});

	it('covers enough ground', () => {
		expect(Object.keys(NODE_WRONG_INPUTS).length).toBeGreaterThanOrEqual(25);
	});
});

describe('Get Result of a cancelled job', () => {
	it('says in the message that the job was cancelled', async () => {
		emulator.configure({ jobDuration: 60_000 });
		const submitted = await new AnyApiKontext().execute.call(
			fakeContext({ items: [pngItem()], parameters: { ...edit(), operation: 'submit' }, credentials: { apiKey: KEY, baseUrl: emulator.url } }),
		);
		const requestId = String(submitted[0]![0]!.json.requestId);
		await new AnyApiKontext().execute.call(fakeContext({ items: [{ json: {} }], parameters: job('cancel', requestId), credentials: { apiKey: KEY, baseUrl: emulator.url } }));
		const error = await failure({ parameters: job('getResult', requestId), items: [{ json: {} }], message: /./ });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`The job ${requestId} was cancelled, so it has no result (400)`);
		expect((error as NodeApiError).description).toMatch(/Request was cancelled/);
	});
});

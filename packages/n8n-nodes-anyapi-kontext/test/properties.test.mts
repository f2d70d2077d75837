// Random parameter values (as n8n expressions can give any JSON, and more) into the node's
// execute: it either works, or fails with one of n8n's errors; an error raised before any
// request (NodeOperationError with no request sent) is the norm for bad input, and nothing
// else (a TypeError from deep inside) is ever thrown. The key never shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { startEmulator, type RunningEmulator } from '@anyapi-kontext/emulator';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { AnyApiKontext } from '../nodes/AnyApiKontext/AnyApiKontext.node';
import { binaryItem, fakeContext, type FakeOptions } from './fake-context.mjs';

const PNG = fs.readFileSync(path.join(import.meta.dirname, '..', 'e2e', 'fixtures', 'input.png'));
const KEY = 'sk-node-properties-2c6e0a4f8b';
let emulator: RunningEmulator;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, apiKey: KEY, jobDuration: 5, seed: 5 });
});
afterAll(async () => {
	await emulator?.stop();
});

const anyValue = fc.oneof(
	fc.anything({ withBigInt: false, withNullPrototype: true, withBoxedValues: true }),
	fc.constantFrom(0, -1, 0.5, Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, 4294967296),
	fc.string({ unit: 'grapheme', maxLength: 30 }),
	fc.string({ minLength: 2000, maxLength: 3000 }),
	fc.constantFrom('', ' ', 'binary', 'url', 'data', 'png', 'jpeg', '2', 'req-1', 'https://files.example/a.png'),
);

describe('random parameters', () => {
	it('edit, submit, get status, get result, cancel and get usage fail only with n8n errors, never showing the key', async () => {
		const parameters = fc.record({
			resource: fc.constantFrom('image', 'account'),
			operation: fc.constantFrom('edit', 'submit', 'getStatus', 'getResult', 'cancel', 'getUsage'),
			imageSource: fc.oneof(fc.constantFrom('binary', 'url'), anyValue),
			binaryPropertyName: fc.oneof(fc.constant('data'), anyValue),
			imageUrl: anyValue,
			prompt: fc.oneof(fc.constant('Add a hat'), anyValue),
			guidanceScale: anyValue,
			numImages: anyValue,
			outputFormat: anyValue,
			safetyTolerance: anyValue,
			requestId: anyValue,
			model: fc.oneof(
				fc.constant(''),
				anyValue,
				// Version 2's locator: From List or By Path, a listed path, one the emulator has not, or anything.
				fc.record({
					__rl: fc.constant(true),
					mode: fc.oneof(fc.constantFrom('list', 'path'), anyValue),
					value: fc.oneof(fc.constantFrom('/fal-ai/flux-pro/kontext/max/multi', '/fal-ai/no-such-model/v9', 'fal-ai/x', '/a/../b'), anyValue),
				}),
			),
			// Version 2's By Path fields.
			pathInput: fc.oneof(fc.constantFrom('{}', '{"num_images": 2}', '[1]', '{"prompt": 1'), anyValue),
			imageField: fc.oneof(fc.constantFrom('image_url', 'image_urls'), anyValue),
			options: fc.oneof(fc.constant({}), fc.record({ timeoutMinutes: anyValue, concurrency: anyValue, seed: anyValue, downloadImages: anyValue }, { requiredKeys: [] })),
			// Version 2's image list, Combine and the tool's Image URLs.
			images: fc.oneof(
				fc.constant({ image: [{ source: 'binary', binaryPropertyName: 'data' }] }),
				fc.record({ image: fc.array(fc.record({ source: fc.oneof(fc.constantFrom('binary', 'url'), anyValue), binaryPropertyName: anyValue, url: anyValue }, { requiredKeys: [] }), { maxLength: 3 }) }),
				anyValue,
			),
			combineItems: fc.oneof(fc.boolean(), anyValue),
			toolImageUrls: anyValue,
		}, { requiredKeys: ['resource', 'operation'] });
		const node = fc.record({ typeVersion: fc.constantFrom(1, 2), nodeType: fc.constantFrom('CUSTOM.anyApiKontext', 'CUSTOM.anyApiKontextTool') });
		await fc.assert(
			fc.asyncProperty(parameters, node, async (params, { typeVersion, nodeType }) => {
				const requests: NonNullable<FakeOptions['requests']> = [];
				const context = fakeContext({
					typeVersion,
					nodeType,
					items: [binaryItem(PNG, 'image/png', 'a.png')],
					parameters: { ...params, options: params.options ?? {} },
					credentials: { apiKey: KEY, baseUrl: emulator.url },
					requests,
				});
				try {
					await new AnyApiKontext().execute.call(context);
				} catch (error) {
					expect(error instanceof NodeOperationError || error instanceof NodeApiError, String((error as Error)?.stack)).toBe(true);
					const shown = [String(error), String((error as Error).stack), inspect(error, { depth: 6 }), JSON.stringify(error)].join('\n');
					expect(shown).not.toContain(KEY);
					// An answer of the API is only possible once something was sent.
					if (error instanceof NodeApiError) expect(requests.length).toBeGreaterThan(0);
				}
			}),
			{ numRuns: 60 },
		);
	}, 120_000);
});

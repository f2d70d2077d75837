import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import {
	AuthenticationError,
	CancelledError,
	ConnectionError,
	InputError,
	JobFailedError,
	RateLimitError,
	TimeoutError,
	UnprocessableEntityError,
	validateInput,
} from '@anyapi-kontext/core/portable';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { buildModelBody } from '../nodes/AnyApiKontext/actions/image/modelInput';
import { DEFAULT_MODEL, MODELS, type ModelField } from '../nodes/AnyApiKontext/generated/models';
import { describeError, redact, toNodeError } from '../nodes/AnyApiKontext/shared/errors';
import { checkImageUrl, imageBytesToDataUrl, splitNames, splitUrls } from '../nodes/AnyApiKontext/shared/imageInput';
import { decodeBody, lowerCaseHeaders, toNetworkError } from '../nodes/AnyApiKontext/shared/transport';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const node = { id: 'n', name: 'AnyAPI Kontext', type: 'CUSTOM.anyApiKontext', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

describe('parameters to request body', () => {
	const params: Record<string, unknown> = {
		prompt: '  Add a hat  ',
		guidanceScale: 4.5,
		numImages: 2,
		outputFormat: 'png',
		safetyTolerance: '3',
	};
	const read = (f: { parameter: string }) => params[f.parameter];
	const pro = MODELS[DEFAULT_MODEL];
	const buildKontextInput = (r: (f: ModelField) => unknown, options: Record<string, unknown>, imageUrl: string) =>
		buildModelBody(pro, r, options as never, { image_url: imageUrl });

	it('maps every model field to its API name and adds the image', () => {
		const body = buildKontextInput(read, {}, 'https://example.com/a.png');
		expect(body).toEqual({
			image_url: 'https://example.com/a.png',
			prompt: 'Add a hat',
			guidance_scale: 4.5,
			num_images: 2,
			output_format: 'png',
			safety_tolerance: '3',
		});
		expect(validateInput(body)).toEqual(body);
	});

	it("sends fal's extras only when set under Options, with the spec's types", () => {
		const body = buildKontextInput(read, { seed: '42', aspectRatio: '16:9', enhancePrompt: true, timeoutMinutes: 3 }, 'https://e.com/x.png');
		expect(body).toMatchObject({ seed: 42, aspect_ratio: '16:9', enhance_prompt: true });
		expect(body).not.toHaveProperty('sync_mode');
		expect(body).not.toHaveProperty('timeout_minutes');
		expect(body).not.toHaveProperty('timeoutMinutes');
	});

	it('turns a number typed into a string-enum field into a string', () => {
		const body = buildKontextInput((f) => (f.parameter === 'safetyTolerance' ? 5 : params[f.parameter]), {}, 'https://e.com/x.png');
		expect(body.safety_tolerance).toBe('5');
	});

	it('leaves range checks to the core and names the field by its display name', () => {
		const body = buildKontextInput((f) => (f.parameter === 'guidanceScale' ? 25 : params[f.parameter]), {}, 'https://e.com/x.png');
		let error: unknown;
		try {
			validateInput(body);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(InputError);
		const described = describeError(error);
		expect(described.kind).toBe('operation');
		expect(described.message).toMatch(/^Invalid input: Guidance Scale must be .*1.*20.*25/);
	});

	it('sends no option the user did not set: an empty choice, an empty number, a boolean at its default', () => {
		const body = buildKontextInput(read, { aspectRatio: '', seed: null, enhancePrompt: false, syncMode: false }, 'https://e.com/x.png');
		for (const field of ['aspect_ratio', 'seed', 'enhance_prompt', 'sync_mode']) expect(body).not.toHaveProperty(field);
		expect(buildKontextInput(read, { seed: 0, syncMode: true }, 'https://e.com/x.png')).toMatchObject({ seed: 0, sync_mode: true });
	});

	it('every spec field is covered', () => {
		const all = Object.fromEntries(pro.fields.map((f) => [f.parameter, f.field]));
		expect(all).toMatchObject({ prompt: 'prompt', guidanceScale: 'guidance_scale', syncMode: 'sync_mode' });
	});
});

describe('input image', () => {
	it('sends binary images as data URLs, typed from their bytes', () => {
		expect(imageBytesToDataUrl(PNG, 'Item 1')).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
	});

	it('sends a PNG with alpha and an upright JPEG as they are', async () => {
		const alpha = await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 0, g: 90, b: 0, alpha: 0.3 } } }).png().toBuffer();
		expect(imageBytesToDataUrl(alpha, 'Item 1')).toBe(`data:image/png;base64,${alpha.toString('base64')}`);
		const upright = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#804020' } }).jpeg().toBuffer();
		expect(imageBytesToDataUrl(upright, 'Item 1')).toBe(`data:image/jpeg;base64,${upright.toString('base64')}`);
	});

	it('turns a JPEG rotated by its EXIF tag upright, for every orientation (2-8), as sharp does', async () => {
		// Stored 240 x 160: a red block in the top-left corner on grey, so every turn and mirror differs.
		const stored = await sharp({ create: { width: 240, height: 160, channels: 3, background: '#808080' } })
			.composite([{ input: { create: { width: 80, height: 40, channels: 3, background: '#ff0000' } }, left: 0, top: 0 }])
			.raw()
			.toBuffer();
		for (const orientation of [2, 3, 4, 5, 6, 7, 8]) {
			const jpeg = await sharp(stored, { raw: { width: 240, height: 160, channels: 3 } }).jpeg({ quality: 95 }).withMetadata({ orientation }).toBuffer();
			const url = imageBytesToDataUrl(jpeg, 'Item 1');
			expect(url.startsWith('data:image/jpeg;base64,')).toBe(true);
			const sent = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
			const ours = await sharp(sent).raw().toBuffer({ resolveWithObject: true });
			expect((await sharp(sent).metadata()).orientation ?? 1).toBe(1); // nothing turns it again
			const expected = await sharp(jpeg).rotate().raw().toBuffer({ resolveWithObject: true });
			expect([ours.info.width, ours.info.height], `orientation ${orientation}`).toEqual([expected.info.width, expected.info.height]);
			let difference = 0;
			for (let i = 0; i < ours.data.length; i += 1) difference += Math.abs(ours.data[i]! - expected.data[i]!);
			expect(difference / ours.data.length, `orientation ${orientation}: mean difference per channel`).toBeLessThan(4);
		}
	});

	it('sends a rotated 12 MP phone JPEG upright at about 1 MP (decoded at half size)', async () => {
		const phone = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#406080' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
		const url = imageBytesToDataUrl(phone, 'Item 1');
		const { width, height } = await sharp(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64')).metadata();
		expect(height).toBeGreaterThan(width!); // a portrait, as the phone showed it
		expect(width! * height!).toBeLessThanOrEqual(1_100_000);
		expect(width! * height!).toBeGreaterThan(1_000_000);
		expect(url.length).toBeLessThan(phone.length);
	});

	it('refuses an unsupported file, naming the item and what is allowed', () => {
		expect(() => imageBytesToDataUrl(Buffer.from('hello'), 'Item 4: the file in binary field "data"', 'text/plain')).toThrow(
			/^Item 4: the file in binary field "data" is not an image AnyAPI takes \(its bytes start 68 65 6c 6c\); its type is text\/plain$/,
		);
		const described = describeError(
			(() => {
				try {
					imageBytesToDataUrl(Buffer.from('hello'), 'Item 4');
				} catch (e) {
					return e;
				}
			})(),
		);
		expect(described.description).toMatch(/^AnyAPI takes JPEG, PNG, WebP, GIF or AVIF; convert it to one of them first\.$/);
	});

	it('reads several binary fields or URLs from one field, a data URL kept whole', () => {
		expect(splitNames(' data, data_1\nthird ,')).toEqual(['data', 'data_1', 'third']);
		expect(splitNames(['a', 'b'])).toEqual(['a', 'b']);
		const data = `data:image/png;base64,${PNG.toString('base64')}`;
		expect(splitUrls(`https://e.com/a.png, ${data},https://e.com/b,c.png\n https://e.com/d.png`)).toEqual([
			'https://e.com/a.png',
			data,
			'https://e.com/b,c.png',
			'https://e.com/d.png',
		]);
		expect(splitUrls(['https://e.com/a.png', 'https://e.com/b.png'])).toEqual(['https://e.com/a.png', 'https://e.com/b.png']);
		expect(splitUrls('')).toEqual([]);
	});

	it('checks URLs', () => {
		expect(checkImageUrl(' https://e.com/a.png ', 0)).toBe('https://e.com/a.png');
		expect(() => checkImageUrl('ftp://e.com/a.png', 1)).toThrow(/Item 2: Image URL must be an http\(s\) URL/);
		expect(() => checkImageUrl('', 2)).toThrow(/Item 3: Image URL is empty/);
	});
});

describe('errors a no-code user understands', () => {
	const api = (Cls: typeof AuthenticationError, status: number, body: unknown, headers: Record<string, string> = {}) =>
		new Cls({ status, body, headers, message: `HTTP ${status}` });

	it('401: the key was refused, as a NodeApiError with the item index', () => {
		const described = describeError(api(AuthenticationError, 401, { detail: 'Invalid token' }));
		expect(described.message).toBe('The API key was refused by AnyAPI (401 Unauthorized)');
		const error = toNodeError(node, described, 3);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.context.itemIndex).toBe(3);
		expect(error.message).toBe('The API key was refused by AnyAPI (401 Unauthorized)');
		expect((error as NodeApiError).httpCode).toBe('401');
	});

	it('422 with field errors names the field and what the API said', () => {
		const error = new UnprocessableEntityError({
			status: 422,
			body: { detail: [{ loc: ['body', 'guidance_scale'], msg: 'Input should be less than or equal to 20', type: 'less_than_equal' }] },
			headers: {},
			message: 'x',
			fieldErrors: [{ field: 'guidance_scale', message: 'Input should be less than or equal to 20', type: 'less_than_equal' }],
		});
		const described = describeError(error);
		expect(described.message).toContain('Guidance Scale: Input should be less than or equal to 20');
		expect(described.description).toContain('AnyAPI said: Guidance Scale: Input should be less than or equal to 20');
	});

	it('content policy, rate limit, time-out, stop, failed job, connection', () => {
		expect(
			describeError(api(UnprocessableEntityError, 422, { detail: 'flagged' }, { 'x-fal-error-type': 'content_policy_violation' })).message,
		).toBe('The image or prompt was flagged by the content policy (422 content_policy_violation)');
		expect(describeError(api(RateLimitError, 429, {})).description).toMatch(/Concurrency/);
		expect(describeError(new TimeoutError('req-1', 600_000, 'CANCELLATION_REQUESTED')).message).toBe(
			'The job req-1 did not finish within 10 minutes; it was cancelled on the server',
		);
		expect(describeError(new CancelledError('req-2', true)).message).toBe(
			'The execution was stopped; job req-2 was cancelled on the server',
		);
		expect(describeError(new JobFailedError('req-3', 'FAILED')).message).toBe('The job req-3 failed: FAILED');
		const connection = describeError(new ConnectionError('x', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }), {
			baseUrl: 'http://127.0.0.1:9',
		});
		expect(connection.message).toBe('Could not reach AnyAPI at http://127.0.0.1:9');
		expect(connection.description).toMatch(/^Network error ECONNREFUSED\./);
		expect(toNodeError(node, connection, 0)).toBeInstanceOf(NodeOperationError);
	});

	it('never shows a key echoed back in a body', () => {
		const described = describeError(api(AuthenticationError, 401, { detail: 'Bearer sk-secret-1234567890 is not valid' }));
		expect(JSON.stringify(described)).not.toContain('sk-secret-1234567890');
		expect(redact('key sk-abcdefghijkl and my-secret more', ['my-secret'])).toBe('key [redacted] and [redacted] more');
	});
});

describe('transport helpers', () => {
	it('parses JSON bodies, keeps text, lower-cases headers', () => {
		expect(decodeBody(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
		expect(decodeBody(Buffer.from('plain'))).toBe('plain');
		expect(decodeBody(Buffer.from(''))).toBeUndefined();
		expect(lowerCaseHeaders({ 'X-Fal-Request-Id': 'r', 'Set-Cookie': ['a', 'b'] })).toEqual({ 'x-fal-request-id': 'r', 'set-cookie': 'a, b' });
	});

	it('rethrows network errors with their code and without the request options', () => {
		const wrapped = Object.assign(new Error('NodeApiError'), {
			cause: { code: 'ECONNREFUSED', config: { headers: { Authorization: 'Bearer sk-secret' } } },
		});
		const error = toNetworkError(wrapped) as Error & { code?: string };
		expect(error.code).toBe('ECONNREFUSED');
		expect(JSON.stringify({ ...error, message: error.message })).not.toContain('sk-secret');
	});
});

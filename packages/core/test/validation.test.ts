import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator as Emulator } from '@anyapi-kontext/emulator';
import { createKontextClient, InputError, type KontextClient } from '../src/index.js';
import { validateInput } from '../src/portable.js';
import { pngDataUrl } from './support/png.js';

let emulator: Emulator;
let kontext: KontextClient;
const image_url = pngDataUrl(8, 8);
const valid = { prompt: 'Add a rainbow', image_url };

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, jobDuration: 10 });
  kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
});
afterAll(() => emulator.stop());

// Each bad input, and the words a user must see: the field and what it allows.
const BAD_INPUTS: [string, unknown, RegExp][] = [
  ['no prompt', { image_url }, /^prompt is required: a non-empty text$/],
  ['no image', { prompt: 'x' }, /^image_url is required: an http\(s\) URL, or a base64 data URL of a jpg, jpeg, png, webp, gif or avif image$/],
  ['empty prompt', { ...valid, prompt: '' }, /^prompt must be a non-empty text \(got ""\)$/],
  ['prompt not a text', { ...valid, prompt: 42 }, /^prompt must be a non-empty text \(got 42\)$/],
  ['image not a URL', { ...valid, image_url: 'photo.png' }, /^image_url must be an http\(s\) URL, or a base64 data URL .* \(got "photo.png"\)$/],
  ['image on ftp', { ...valid, image_url: 'ftp://x/y.png' }, /^image_url must be an http\(s\) URL/],
  ['data URL of a PDF', { ...valid, image_url: 'data:application/pdf;base64,JVBERi0=' }, /^image_url must be an http\(s\) URL/],
  ['data URL not base64', { ...valid, image_url: 'data:image/png,rawbytes' }, /^image_url must be/],
  ['guidance too low', { ...valid, guidance_scale: 0.5 }, /^guidance_scale must be a number from 1 to 20 \(got 0.5\)$/],
  ['guidance too high', { ...valid, guidance_scale: 25 }, /^guidance_scale must be a number from 1 to 20 \(got 25\)$/],
  ['guidance as text', { ...valid, guidance_scale: 'high' }, /^guidance_scale must be a number from 1 to 20 \(got "high"\)$/],
  ['no images asked', { ...valid, num_images: 0 }, /^num_images must be a whole number from 1 to 4 \(got 0\)$/],
  ['too many images', { ...valid, num_images: 5 }, /^num_images must be a whole number from 1 to 4 \(got 5\)$/],
  ['half an image', { ...valid, num_images: 1.5 }, /^num_images must be a whole number from 1 to 4 \(got 1.5\)$/],
  ['gif output', { ...valid, output_format: 'gif' }, /^output_format must be one of "jpeg", "png" \(got "gif"\)$/],
  ['"default" output, which the seed lists but fal refuses', { ...valid, output_format: 'default' }, /^output_format must be one of "jpeg", "png"/],
  ['safety as a number', { ...valid, safety_tolerance: 2 }, /^safety_tolerance must be one of "1", "2", "3", "4", "5" \(got 2\)$/],
  ['safety out of range', { ...valid, safety_tolerance: '6' }, /^safety_tolerance must be one of "1", "2", "3", "4", "5" \(got "6"\)$/],
  ['negative seed', { ...valid, seed: -1 }, /^seed must be a whole number from 0 to 4294967295 \(got -1\)$/],
  ['seed as text', { ...valid, seed: '42' }, /^seed must be a whole number from 0 to 4294967295 \(got "42"\)$/],
  ['unknown aspect ratio', { ...valid, aspect_ratio: '5:4' }, /^aspect_ratio must be one of "21:9", "16:9", .* \(got "5:4"\)$/],
  ['enhance_prompt as text', { ...valid, enhance_prompt: 'yes' }, /^enhance_prompt must be true or false \(got "yes"\)$/],
  ['sync_mode as a number', { ...valid, sync_mode: 1 }, /^sync_mode must be true or false \(got 1\)$/],
  ['a misspelt field', { ...valid, guidance: 3 }, /^guidance is not an input of this endpoint; the inputs are prompt, image_url, guidance_scale, /],
  ['not an object', 'make it blue', /^input must be an object with the fields prompt, image_url/],
  ['null', null, /^input must be an object/],
];

describe('bad input is refused before anything is sent', () => {
  it.each(BAD_INPUTS)('%s', async (_name, input, message) => {
    const error = await kontext.run(input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(message);
    await expect(kontext.submit(input as never)).rejects.toBeInstanceOf(InputError);
  });

  it('reports every bad field at once, each named', () => {
    const error = (() => {
      try {
        validateInput({ prompt: '', image_url, num_images: 9, output_format: 'bmp' });
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(error?.fieldErrors.map((e) => e.field)).toEqual(['prompt', 'num_images', 'output_format']);
  });

  it('refuses bad run options and unknown endpoints too', async () => {
    await expect(kontext.run(valid, { timeout: -5 })).rejects.toThrow(/^timeout must be a number of milliseconds above 0 \(got -5\)$/);
    await expect(kontext.run(valid, { pollInterval: Number.NaN })).rejects.toThrow(/^pollInterval must be/);
    await expect(kontext.run(valid, { webhookUrl: 'not a url' })).rejects.toThrow(/^webhookUrl must be an http\(s\) URL/);
    await expect(kontext.run(valid, { endpoint: '/fal-ai/nope' as never })).rejects.toThrow(
      /^endpoint must be one of \/fal-ai\/flux-pro\/kontext/,
    );
    await expect(kontext.status('')).rejects.toThrow(/^requestId must be the request id a submit returned/);
    // Plain JavaScript can pass any endpoint to the calls that take a request id too.
    for (const call of [kontext.status, kontext.result, kontext.cancel]) {
      await expect(call('req-1', { endpoint: '/fal-ai/nope' as never })).rejects.toThrow(/^endpoint must be one of \/fal-ai\/flux-pro\/kontext/);
    }
  });

  it('the emulator saw no request at all', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(20);
    expect(emulator.counters.total).toBe(0);
  });
});

const MULTI = '/fal-ai/flux-pro/kontext/max/multi';
const TEXT_TO_IMAGE = '/fal-ai/flux-pro/kontext/text-to-image';

// Each model's own schema: a field of another model, and the parts of a list, are named.
const BAD_MODEL_INPUTS: [string, string, unknown, RegExp][] = [
  ['multi given one image_url', MULTI, { prompt: 'p', image_url }, /^image_urls is required: a list of at least one image, each an http\(s\) URL/],
  ['multi given image_url besides', MULTI, { prompt: 'p', image_urls: [image_url], image_url }, /^image_url is not an input of this endpoint; the inputs are prompt, image_urls, /],
  ['multi given no images', MULTI, { prompt: 'p', image_urls: [] }, /^image_urls must be a list of at least one image/],
  ['multi given a text', MULTI, { prompt: 'p', image_urls: image_url }, /^image_urls must be a list of at least one image/],
  ['multi given a bad second image', MULTI, { prompt: 'p', image_urls: [image_url, 'photo.png'] }, /^image_urls\[1\] must be an http\(s\) URL, or a base64 data URL .* \(got "photo.png"\)$/],
  ['text-to-image given an image', TEXT_TO_IMAGE, { prompt: 'p', image_url }, /^image_url is not an input of this endpoint; the inputs are prompt, guidance_scale, /],
  ['text-to-image given an odd ratio', TEXT_TO_IMAGE, { prompt: 'p', aspect_ratio: '21：9' }, /^aspect_ratio must be one of "21:9", .* \(got "21：9"\)$/],
];

describe('each model refuses what is not its own input', () => {
  it.each(BAD_MODEL_INPUTS)('%s', async (_name, endpoint, input, message) => {
    const error = await kontext.run(input as never, { endpoint: endpoint as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(message);
  });

  it('sent nothing', () => {
    expect(emulator.counters.total).toBe(0);
  });
});

describe('good input', () => {
  it('passes through unchanged, with the fal extras', () => {
    const input = { ...valid, seed: 7, aspect_ratio: '16:9' as const, enhance_prompt: true, guidance_scale: 20 };
    expect(validateInput(input)).toBe(input);
  });
});

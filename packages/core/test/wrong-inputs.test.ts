import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator as Emulator } from '@anyapi-kontext/emulator';
import {
  createKontextClient,
  createQueueLifecycle,
  downloadImage,
  InputError,
  nodeSleep,
  saveResultImages,
  toImageUrl,
  toImageUrls,
  type KontextClient,
} from '../src/index.js';
import { createRawClient } from '../src/fetch.js';
import { pngDataUrl } from './support/png.js';
import { everythingShown, expectNoKeyIn } from './support/secrets.js';

// Issue 7's table of wrong arguments to every public call of the core (the input's field values
// have their own table in validation.test.ts): each rejects with an InputError naming the
// argument and what it allows, the emulator sees no request at all, and the key never shows.
const KEY = 'sk-core-wrong-inputs-4d8b2f6a1c';
let emulator: Emulator;
let kontext: KontextClient;
let work: string;
const image_url = pngDataUrl(8, 8);
const input = { prompt: 'Add a rainbow', image_url };

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY, jobDuration: 10 });
  kontext = createKontextClient({ apiKey: KEY, baseUrl: emulator.url });
  work = mkdtempSync(join(tmpdir(), 'core-wrong-inputs-'));
  writeFileSync(join(work, 'notes.png'), 'these are notes, not a picture');
  writeFileSync(join(work, 'empty.png'), '');
  mkdirSync(join(work, 'folder'));
});
afterAll(() => emulator.stop());

const result = () => ({ requestId: 'r', data: { images: [{ url: `${emulator.url}/files/r/1.png` }] } }) as never;
const any = (value: unknown) => value as never;

/** [name, the call, the field named, the message] */
const CORE_WRONG_INPUTS: Array<[string, () => unknown, string, RegExp]> = [
  // run's options
  ['run: a signal that is not an AbortSignal', () => kontext.run(input, { signal: any('stop') }), 'signal', /^signal must be an AbortSignal \(got "stop"\)$/],
  ['run: an onUpdate that is not a function', () => kontext.run(input, { onUpdate: any('log') }), 'onUpdate', /^onUpdate must be a function \(got "log"\)$/],
  ['run: an onSubmit that is a number', () => kontext.run(input, { onSubmit: any(5) }), 'onSubmit', /^onSubmit must be a function \(got 5\)$/],
  ['run: a negative timeout', () => kontext.run(input, { timeout: -5 }), 'timeout', /^timeout must be a number of milliseconds above 0 \(got -5\)$/],
  ['run: a NaN timeout', () => kontext.run(input, { timeout: Number.NaN }), 'timeout', /^timeout must be a number of milliseconds above 0 \(got NaN\)$/],
  ['run: a timeout as text', () => kontext.run(input, { timeout: any('1000') }), 'timeout', /^timeout must be a number of milliseconds above 0 \(got "1000"\)$/],
  ['run: an infinite timeout', () => kontext.run(input, { timeout: Infinity }), 'timeout', /\(got Infinity\)$/],
  ['run: a negative pollInterval', () => kontext.run(input, { pollInterval: -1 }), 'pollInterval', /^pollInterval must be a number of milliseconds, 0 or more \(got -1\)$/],
  ['run: stream as text', () => kontext.run(input, { stream: any('yes') }), 'stream', /^stream must be true or false \(got "yes"\)$/],
  ['run: a webhookUrl on ftp', () => kontext.run(input, { webhookUrl: 'ftp://hooks.example' }), 'webhookUrl', /^webhookUrl must be an http\(s\) URL \(got "ftp:\/\/hooks\.example"\)$/],
  ['run: a webhookUrl with a space', () => kontext.run(input, { webhookUrl: 'https://hooks.example/a b' }), 'webhookUrl', /^webhookUrl must be an http\(s\) URL/],
  ['run: an unknown endpoint', () => kontext.run(input, { endpoint: any('/fal-ai/nope') }), 'endpoint', /^endpoint must be one of \/fal-ai\/flux-pro\/kontext.* \(got "\/fal-ai\/nope"\)$/],
  ['run: options null', () => kontext.run(input, any(null)), 'options', /^options must be an object of options \(got null\)$/],
  ['run: options a text', () => kontext.run(input, any('fast')), 'options', /^options must be an object of options \(got "fast"\)$/],
  ['run: options an array', () => kontext.run(input, any([1])), 'options', /^options must be an object of options \(got an array\)$/],
  ['run: input null', () => kontext.run(any(null)), 'input', /^input must be an object with the fields prompt, image_url/],
  ['run: input a text', () => kontext.run(any('make it snow')), 'input', /^input must be an object/],
  ['run: a huge guidance_scale', () => kontext.run({ ...input, guidance_scale: 1e308 }), 'guidance_scale', /^guidance_scale must be a number from 1 to 20 \(got 1e\+308\)$/],
  ['run: a field this endpoint lacks', () => kontext.run(any({ ...input, colour: 'red' })), 'colour', /^colour is not an input of this endpoint/],
  ['submit: a webhookUrl that is a number', () => kontext.submit(input, { webhookUrl: any(5) }), 'webhookUrl', /^webhookUrl must be an http\(s\) URL \(got 5\)$/],
  ['submit: options a number', () => kontext.submit(input, any(7)), 'options', /^options must be an object of options \(got 7\)$/],
  // refs
  ['status: null', () => kontext.status(any(null)), 'ref', /^ref must be a request id, the ticket submit returned, \{ requestId, endpoint \} or \{ requestId, modelPath \} \(got null\)$/],
  ['status: undefined', () => kontext.status(any(undefined)), 'ref', /^ref must be .* \(got nothing\)$/],
  ['status: a number', () => kontext.status(any(42)), 'ref', /^ref must be .* \(got 42\)$/],
  ['status: an empty id', () => kontext.status(''), 'requestId', /^requestId must be the request id a submit returned \(1 to 256 characters, no spaces, slashes or control characters\) \(got ""\)$/],
  ['status: an id with a slash', () => kontext.status('../usage'), 'requestId', /^requestId must be .* \(got "\.\.\/usage"\)$/],
  ['status: an id with a line break', () => kontext.status('id\n2'), 'requestId', /^requestId must be/],
  ['status: a huge id', () => kontext.status('x'.repeat(300)), 'requestId', /^requestId must be .* \(got "x+\.\.\.\)$/],
  ['result: an object with no id', () => kontext.result(any({})), 'ref', /^ref must be .* \(got an object\)$/],
  ['result: a ticket whose request_id is a number', () => kontext.result(any({ request_id: 5 })), 'request_id', /^request_id must be the request id a submit returned .* \(got 5\)$/],
  ['cancel: an id with an unknown endpoint', () => kontext.cancel({ requestId: 'ok', endpoint: any('/nope') }), 'endpoint', /^endpoint must be one of/],
  ['cancel: options with an endpoint that is a number', () => kontext.cancel('ok', { endpoint: any(5) }), 'endpoint', /^endpoint must be one of .* \(got 5\)$/],
  ['status: logs as text', () => kontext.status('ok', { logs: any('yes') }), 'logs', /^logs must be true or false \(got "yes"\)$/],
  ['status: a signal that is a plain object', () => kontext.status('ok', { signal: any({}) }), 'signal', /^signal must be an AbortSignal \(got an object\)$/],
  ['usage: a signal that is a text', () => kontext.usage({ signal: any('x') }), 'signal', /^signal must be an AbortSignal \(got "x"\)$/],
  ['usage: options a text', () => kontext.usage(any('now')), 'options', /^options must be an object of options \(got "now"\)$/],
  // createKontextClient
  ['client: a key that is a number', () => createKontextClient({ apiKey: any(12345678), baseUrl: emulator.url }), 'apiKey', /^apiKey must be your AnyAPI key: .* \(it is a number, not a text\)$/],
  ['client: an empty key', () => createKontextClient({ apiKey: '  ', baseUrl: emulator.url }), 'apiKey', /^apiKey is required/],
  ['client: a key with a line break', () => createKontextClient({ apiKey: `${KEY}\nmore-9a7c5e3b1d`, baseUrl: emulator.url }), 'apiKey', /\(it contains a line break\)$/],
  ['client: a base URL on ftp', () => createKontextClient({ apiKey: KEY, baseUrl: 'ftp://anyapi.example' }), 'baseUrl', /^baseUrl must be an http\(s\) URL such as https:\/\/www\.anyapi\.vip \(its scheme is not http or https\)$/],
  ['client: a base URL holding a password', () => createKontextClient({ apiKey: KEY, baseUrl: `https://user:${KEY}@anyapi.example` }), 'baseUrl', /\(it holds a user name or password; the key goes in apiKey\)$/],
  ['client: a base URL with a query', () => createKontextClient({ apiKey: KEY, baseUrl: 'https://anyapi.example/?x=1' }), 'baseUrl', /\(it has a query or a fragment\)$/],
  ['client: a base URL that is a number', () => createKontextClient({ apiKey: KEY, baseUrl: any(42) }), 'baseUrl', /\(got 42\)$/],
  ['client: a fetch that is a text', () => createKontextClient({ apiKey: KEY, baseUrl: emulator.url, fetch: any('fetch') }), 'fetch', /^fetch must be a fetch function \(got "fetch"\)$/],
  ['client: negative maxRetries', () => createKontextClient({ apiKey: KEY, baseUrl: emulator.url, retry: { maxRetries: -1 } }), 'retry.maxRetries', /^retry\.maxRetries must be a whole number from 0 to 100 \(got -1\)$/],
  ['client: jitter above 1', () => createKontextClient({ apiKey: KEY, baseUrl: emulator.url, retry: { jitter: 2 } }), 'retry.jitter', /^retry\.jitter must be a number from 0 to 1 \(got 2\)$/],
  ['client: a retry status that is not one', () => createKontextClient({ apiKey: KEY, baseUrl: emulator.url, retry: { retryStatuses: [99] } }), 'retry.retryStatuses', /^retry\.retryStatuses must be a list of HTTP statuses/],
  ['client: retry as text', () => createKontextClient({ apiKey: KEY, baseUrl: emulator.url, retry: any('often') }), 'retry', /^retry must be an object of options \(got "often"\)$/],
  ['client: requestTimeout 0', () => createKontextClient({ apiKey: KEY, baseUrl: emulator.url, requestTimeout: 0 }), 'requestTimeout', /^requestTimeout must be a number of milliseconds above 0, or Infinity \(got 0\)$/],
  ['client: options a text', () => createKontextClient(any(KEY)), 'options', /^options must be an object such as \{ apiKey, baseUrl \} \(got a text; pass the key as \{ apiKey \}\)$/],
  // createRawClient: the client's options, checked the same way
  ['raw client: requestTimeout 0', () => createRawClient({ apiKey: KEY, baseUrl: emulator.url, requestTimeout: 0 }), 'requestTimeout', /^requestTimeout must be a number of milliseconds above 0, or Infinity \(got 0\)$/],
  ['raw client: jitter above 1', () => createRawClient({ apiKey: KEY, baseUrl: emulator.url, retry: { jitter: 2 } }), 'retry.jitter', /^retry\.jitter must be a number from 0 to 1 \(got 2\)$/],
  // createQueueLifecycle
  ['lifecycle: no transport', () => createQueueLifecycle(any({ sleep: nodeSleep })), 'transport', /^transport must be an object with a send function \(got nothing\)$/],
  ['lifecycle: a sleep that is not a function', () => createQueueLifecycle(any({ transport: { send: async () => ({}) }, sleep: 5 })), 'sleep', /^sleep must be a function \(got 5\)$/],
  ['lifecycle: a base URL that is not one', () => createQueueLifecycle({ transport: { send: async () => ({ status: 200, headers: {}, body: {} }) }, sleep: nodeSleep, baseUrl: 'anyapi' }), 'baseUrl', /\(it is not a URL\)$/],
  // images in
  ['toImageUrl: a file that does not exist', () => toImageUrl(join(work, 'nope.png')), 'image_url', /^image_url: cannot read the file .*nope\.png \(ENOENT\)$/],
  ['toImageUrl: a folder', () => toImageUrl(join(work, 'folder')), 'image_url', /\(EISDIR\)$/],
  ['toImageUrl: a text file named .png', () => toImageUrl(join(work, 'notes.png')), 'image_url', /^image_url \(.*notes\.png\) is not an image AnyAPI takes \(its bytes start 74 68 65 73\): AnyAPI takes JPEG, PNG, WebP, GIF or AVIF; convert it to one of them first$/],
  ['toImageUrl: an empty file', () => toImageUrl(join(work, 'empty.png')), 'image_url', /^image_url \(.*empty\.png\) is empty \(0 bytes\): AnyAPI takes JPEG, PNG, WebP, GIF or AVIF images$/],
  ['toImageUrl: empty bytes', () => toImageUrl(new Uint8Array(0)), 'image_url', /^image_url is empty \(0 bytes\): AnyAPI takes JPEG, PNG, WebP, GIF or AVIF images$/],
  ['toImageUrl: a number', () => toImageUrl(any(42)), 'image_url', /^image_url must be a URL, a file path, bytes or a Blob \(got 42\)$/],
  ['toImageUrl: an empty path', () => toImageUrl(''), 'image_url', /^image_url must be a URL, a file path, bytes or a Blob \(got ""\)$/],
  ['toImageUrl: a field name that is not a text', () => toImageUrl(image_url, any(5)), 'field', /^field must be the name of the input/],
  ['toImageUrls: not a list', () => toImageUrls(any('a.png')), 'image_urls', /^image_urls must be a list of URLs, file paths, bytes or Blobs/],
  // images out
  ['downloadImage: a number', () => downloadImage(any(42)), 'image', /^image must be an http\(s\) or data: URL, or an image of a result .* \(got 42\)$/],
  ['downloadImage: an ftp URL', () => downloadImage('ftp://files.example/a.png'), 'image', /\(got "ftp:\/\/files\.example\/a\.png"\)$/],
  ['downloadImage: an image whose url is a number', () => downloadImage(any({ url: 5 })), 'image', /\(got 5\)$/],
  ['downloadImage: a data URI that cannot be read', () => downloadImage('data:garbage'), 'image', /^image is a data URI that cannot be read$/],
  ['downloadImage: a signal that is a text', () => downloadImage(`${emulator.url}/files/r/1.png`, { signal: any('x') }), 'signal', /^signal must be an AbortSignal \(got "x"\)$/],
  ['downloadImage: a fetch that is a number', () => downloadImage(`${emulator.url}/files/r/1.png`, { fetch: any(1) }), 'fetch', /^fetch must be a fetch function \(got 1\)$/],
  ['saveResultImages: no result', () => saveResultImages(any(null), work, { baseName: 'x' }), 'result', /^result must be what run or result returned/],
  ['saveResultImages: an empty folder name', () => saveResultImages(result(), '', { baseName: 'x' }), 'dir', /^dir must be the path of a folder \(got ""\)$/],
  ['saveResultImages: a base name with a slash', () => saveResultImages(result(), work, { baseName: '../x' }), 'baseName', /^baseName must be a file name without folders/],
  ['saveResultImages: no options', () => saveResultImages(result(), work, any(undefined)), 'options', /^options is required: \{ baseName, overwrite\? \} \(got nothing\)$/],
  ['saveResultImages: overwrite as text', () => saveResultImages(result(), work, { baseName: 'x', overwrite: any('yes') }), 'overwrite', /^overwrite must be true or false \(got "yes"\)$/],
];

async function outcome(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('wrong arguments to the core', () => {
  it.each(CORE_WRONG_INPUTS)('%s', async (_name, call, field, message) => {
    const error = await outcome(call);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).fieldErrors.map((e) => e.field)).toContain(field);
    expect((error as Error).message).toMatch(message);
    expect(emulator.counters.total).toBe(0);
    expectNoKeyIn(everythingShown(error), KEY);
  });

  it('covers enough ground, with the CLI and node tables', () => {
    expect(CORE_WRONG_INPUTS.length).toBeGreaterThanOrEqual(70);
    expect(emulator.counters.total).toBe(0);
  });
});

import { startEmulator, type RunningEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createKontextClient, InputError, type KontextClient } from '../src/index.js';
import { pngDataUrl } from './support/png.js';

// submitAny/runAny: any fal-queue model path AnyAPI relays, listed in the spec or not, over HTTP
// to the emulator serving one model the spec does not list (its `extraModels` option).
const KEY = 'sk-core-any-model-7c1e9b3a5d';
const UNLISTED = '/fal-ai/nano-banana/edit';
let emulator: RunningEmulator;
let kontext: KontextClient;
const image_url = pngDataUrl(8, 8);
const any = (value: unknown) => value as never;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY, jobDuration: 0, extraModels: { [UNLISTED]: 'multiple' } });
  kontext = createKontextClient({ apiKey: KEY, baseUrl: emulator.url });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.resetCounters());

describe('runAny and submitAny on a model the spec does not list', () => {
  it('runAny sends the input as it is and follows the job on the app of the first two segments', async () => {
    const input = { prompt: 'Two cats on a sofa', image_urls: [image_url, image_url], a_field_no_schema_knows: 3 };
    const result = await kontext.runAny(UNLISTED, input, { stream: false });
    expect(result.data.images).toHaveLength(1);
    expect(result.data.request).toEqual(input);
    // The emulator answers a job's calls only on its own app (fal-ai/nano-banana): status and result were found.
    expect(emulator.counters).toMatchObject({ submit: 1, result: 1 });
    expect(emulator.counters.status).toBeGreaterThan(0);
  });

  it("submitAny's ticket is followed by status, result and cancel like any other job", async () => {
    const ticket = await kontext.submitAny(UNLISTED, { prompt: 'A dog', image_urls: [image_url] });
    expect(ticket.status_url).toBe(`${emulator.url}/fal-ai/nano-banana/requests/${ticket.request_id}/status`);
    for (;;) if ((await kontext.status(ticket)).status === 'COMPLETED') break;
    expect((await kontext.result(ticket)).data.images).toHaveLength(1);
    expect(await kontext.cancel(ticket)).toBe('ALREADY_COMPLETED');
  });

  it('a bare request id is followed with its model path: { requestId, modelPath }', async () => {
    const ticket = await kontext.submitAny(UNLISTED, { prompt: 'A dog', image_urls: [image_url] });
    const ref = { requestId: ticket.request_id, modelPath: UNLISTED } as const;
    for (;;) if ((await kontext.status(ref)).status === 'COMPLETED') break;
    expect((await kontext.result(ref)).data.images).toHaveLength(1);
    // Without it, the id is looked for on the listed models' app, where this job is not.
    await expect(kontext.result(ticket.request_id)).rejects.toMatchObject({ status: 404 });
  });

  it("a path the service does not have is the service's 404, naming the path", async () => {
    const error = await kontext.runAny('/fal-ai/no-such-model/v9', { prompt: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).message).toContain('Submit to /fal-ai/no-such-model/v9');
  });
});

describe('runAny on a listed path keeps its schema', () => {
  it('checks the input against the spec before anything is sent', async () => {
    const error = await kontext.runAny('/fal-ai/flux-pro/kontext', { prompt: 'x', image_url, guidance_scale: 99 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).fieldErrors[0]).toMatchObject({ field: 'guidance_scale' });
    expect(emulator.counters.total).toBe(0);
  });

  it('runs a listed model by its path', async () => {
    const result = await kontext.runAny('/fal-ai/flux-pro/kontext', { prompt: 'Add a hat', image_url }, { stream: false });
    expect(result.data.images).toHaveLength(1);
  });
});

describe('wrong arguments to runAny and submitAny: an InputError naming them, before any request', () => {
  const ALLOWED = /^path must be a fal-queue model path \/owner\/app or \/owner\/app\/sub\.\.\., e\.g\. \/fal-ai\/flux-pro\/kontext/;
  const cases: Array<[string, () => Promise<unknown>, string, RegExp]> = [
    ['a path with no leading slash', () => kontext.runAny(any('fal-ai/nano-banana/edit'), {}), 'path', ALLOWED],
    ['a path with one segment', () => kontext.runAny(any('/fal-ai'), {}), 'path', /\(got "\/fal-ai"\)$/],
    ['a path that climbs', () => kontext.submitAny(any('/fal-ai/../api/usage/token'), {}), 'path', /\(got "\/fal-ai\/\.\.\/api\/usage\/token"\)$/],
    ['a path with a query', () => kontext.runAny(any('/fal-ai/x?y=1'), {}), 'path', ALLOWED],
    ['a path with a space', () => kontext.runAny(any('/fal ai/x'), {}), 'path', ALLOWED],
    ['a path with an empty segment', () => kontext.runAny(any('/fal-ai//x'), {}), 'path', ALLOWED],
    ['a path that is a number', () => kontext.runAny(any(5), {}), 'path', /\(got 5\)$/],
    ['no path at all', () => kontext.submitAny(any(undefined), {}), 'path', /^path must be a fal-queue model path .* \(got nothing\)$/],
    ['an input that is a text', () => kontext.runAny(UNLISTED, any('make it snow')), 'input', /^input must be an object of the fields of \/fal-ai\/nano-banana\/edit \(got "make it snow"\)$/],
    ['an input that is a list', () => kontext.submitAny(UNLISTED, any([1])), 'input', /\(got an array\)$/],
    ['an endpoint option', () => kontext.runAny(UNLISTED, {}, any({ endpoint: UNLISTED })), 'endpoint', /^endpoint must be left out: the model path is the first argument/],
    ['a bad timeout', () => kontext.runAny(UNLISTED, {}, { timeout: -1 }), 'timeout', /^timeout must be a number of milliseconds above 0/],
    ['a webhookUrl on ftp', () => kontext.submitAny(UNLISTED, {}, { webhookUrl: 'ftp://x.example' }), 'webhookUrl', /^webhookUrl must be an http\(s\) URL/],
    ['status: a modelPath that is not one', () => kontext.status({ requestId: 'r-1', modelPath: any('nano-banana') }), 'modelPath', /^modelPath must be a fal-queue model path .* \(got "nano-banana"\)$/],
    ['cancel: modelPath and endpoint both', () => kontext.cancel(any({ requestId: 'r-1', modelPath: UNLISTED, endpoint: '/fal-ai/flux-pro/kontext' })), 'modelPath', /^modelPath and endpoint name the same thing: give one of them$/],
    ['result: a modelPath with a bad request id', () => kontext.result({ requestId: 'a/b', modelPath: UNLISTED }), 'requestId', /^requestId must be the request id a submit returned/],
  ];
  it.each(cases)('%s', async (_name, callIt, field, message) => {
    const error = await callIt().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    const fieldError = (error as InputError).fieldErrors.find((e) => e.field === field);
    expect(fieldError?.message).toMatch(message);
    expect(emulator.counters.total).toBe(0);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator as Emulator } from '@anyapi-kontext/emulator';
import {
  createKontextClient,
  createQueueLifecycle,
  downloadImage,
  InputError,
  KontextError,
  nodeSleep,
  saveResultImages,
  toImageUrl,
  toImageUrls,
  type KontextClient,
} from '../src/index.js';
import { makePng } from './support/png.js';
import { everythingShown, expectNoKeyIn } from './support/secrets.js';

// Random values in every argument of every public call: the call does what it should, or
// rejects with an InputError having sent nothing; it never throws anything else (a TypeError
// from deep inside, a raw DOMException). Runs are kept small: CI is a loaded 2-core machine.
const KEY = 'sk-core-properties-7b3d9f1a5c';
const RUNS = { numRuns: 40 };
let emulator: Emulator;
let kontext: KontextClient;
let work: string;
let fetches = 0;
const PNG = makePng(4, 4);
/** Stands in for fal's file host: every fetch is counted and answers a small PNG. */
const fileHost: typeof fetch = async () => {
  fetches += 1;
  return new Response(PNG, { headers: { 'content-type': 'image/png' } });
};

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY, jobDuration: 5 });
  kontext = createKontextClient({ apiKey: KEY, baseUrl: emulator.url, retry: { maxRetries: 0 } });
  work = mkdtempSync(join(tmpdir(), 'core-properties-'));
});
afterAll(() => emulator.stop());

const edgeNumbers = fc.constantFrom(0, -0, -1, 1, 0.5, Number.NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.MAX_VALUE, 2 ** 31, 4294967296);
const texts = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ minLength: 2000, maxLength: 3000 }),
  fc.constantFrom('', ' ', '\n', 'req-1', '../usage', '/fal-ai/flux-pro/kontext', 'data:image/png;base64,AAAA', 'ftp://x', 'https://files.example/a.png'),
);
/** Any JS value: primitives, objects without prototype, boxed values, big ints, typed arrays, functions, signals. */
const anyValue = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
  edgeNumbers,
  texts,
  fc.func(fc.anything()),
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(AbortSignal.abort()),
  fc.constant(new AbortController().signal),
);
const optionsOf = (names: string[]) => fc.oneof(anyValue, fc.record(Object.fromEntries(names.map((name) => [name, anyValue])), { requiredKeys: [] }));
const validInput = fc.record({ prompt: fc.constant('x'), image_url: fc.constant(`data:image/png;base64,${Buffer.from(PNG).toString('base64')}`) });
const inputs = fc.oneof(anyValue, validInput, fc.record({ prompt: anyValue, image_url: anyValue, guidance_scale: anyValue, num_images: anyValue, seed: anyValue }, { requiredKeys: [] }));

/** Runs `call`; an InputError must have sent nothing, anything else thrown must be one of ours. */
async function holds(call: () => unknown, sent: () => number): Promise<void> {
  const before = sent();
  let error: unknown;
  try {
    await call();
    return;
  } catch (caught) {
    error = caught;
  }
  if (!(error instanceof KontextError)) throw new Error(`threw something else: ${String((error as Error)?.stack ?? error)}`);
  if (error instanceof InputError) expect(sent() - before, error.message).toBe(0);
  expectNoKeyIn(everythingShown(error), KEY);
}
const requests = () => emulator.counters.total;

describe('random arguments to every call', () => {
  const runOptions = ['endpoint', 'timeout', 'signal', 'onUpdate', 'onSubmit', 'pollInterval', 'stream', 'webhookUrl'];

  it('run', async () => {
    await fc.assert(fc.asyncProperty(inputs, optionsOf(runOptions), async (input, options) => holds(() => kontext.run(input as never, options as never), requests)), RUNS);
  });

  it('submit', async () => {
    await fc.assert(fc.asyncProperty(inputs, optionsOf(['endpoint', 'webhookUrl']), async (input, options) => holds(() => kontext.submit(input as never, options as never), requests)), RUNS);
  });

  it('status, result and cancel', async () => {
    const refs = fc.oneof(anyValue, fc.record({ request_id: anyValue, status_url: anyValue }, { requiredKeys: [] }), fc.record({ requestId: anyValue, endpoint: anyValue }, { requiredKeys: [] }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('status', 'result', 'cancel') as fc.Arbitrary<'status' | 'result' | 'cancel'>, refs, optionsOf(['signal', 'endpoint', 'logs']), async (call, ref, options) =>
        holds(() => kontext[call](ref as never, options as never), requests),
      ),
      RUNS,
    );
  });

  it('usage', async () => {
    await fc.assert(fc.asyncProperty(optionsOf(['signal']), async (options) => holds(() => kontext.usage(options as never), requests)), RUNS);
  });

  it('createKontextClient and createQueueLifecycle', async () => {
    const clientOptions = fc.oneof(anyValue, fc.record({ apiKey: fc.oneof(anyValue, fc.constant(KEY)), baseUrl: fc.oneof(anyValue, fc.constant(emulator.url)), fetch: anyValue, retry: optionsOf(['maxRetries', 'baseDelay', 'jitter', 'retryStatuses']), requestTimeout: anyValue }, { requiredKeys: [] }));
    await fc.assert(fc.asyncProperty(clientOptions, async (options) => holds(() => createKontextClient(options as never), requests)), RUNS);
    const lifecycleOptions = fc.oneof(anyValue, fc.record({ transport: fc.oneof(anyValue, fc.constant({ send: async () => ({ status: 200, headers: {}, body: {} }) })), sleep: fc.oneof(anyValue, fc.constant(nodeSleep)), baseUrl: anyValue, retry: anyValue, requestTimeout: anyValue, now: anyValue, random: anyValue }, { requiredKeys: [] }));
    await fc.assert(fc.asyncProperty(lifecycleOptions, async (options) => holds(() => createQueueLifecycle(options as never), requests)), RUNS);
  });

  it('toImageUrl and toImageUrls', async () => {
    // Random texts are file paths relative to the working folder: read, never written.
    await fc.assert(fc.asyncProperty(anyValue, fc.oneof(fc.constant(undefined), anyValue), async (source, field) => holds(() => toImageUrl(source as never, field as never), requests)), RUNS);
    await fc.assert(fc.asyncProperty(anyValue, async (sources) => holds(() => toImageUrls(sources as never), requests)), RUNS);
  });

  it('downloadImage and saveResultImages (through a counting file host)', async () => {
    const downloadOptions = fc.record({ fetch: fc.constant(fileHost), signal: anyValue, retry: fc.oneof(fc.constant(undefined), anyValue) }, { requiredKeys: ['fetch'] });
    const images = fc.oneof(anyValue, fc.constant('https://files.example/a.png'), fc.record({ url: anyValue }));
    await fc.assert(fc.asyncProperty(images, downloadOptions, async (image, options) => holds(() => downloadImage(image as never, options as never), () => fetches)), RUNS);
    // Folders are only ever the temporary one or not texts at all: nothing is created elsewhere.
    const dirs = fc.oneof(fc.constant(work), anyValue.filter((value) => typeof value !== 'string'), fc.constant(''));
    const results = fc.oneof(anyValue, fc.record({ requestId: anyValue, data: fc.oneof(anyValue, fc.record({ images: fc.oneof(anyValue, fc.array(images, { maxLength: 2 })) })) }));
    const saveOptions = fc.record({ fetch: fc.constant(fileHost), baseName: anyValue, overwrite: fc.oneof(fc.constant(true), anyValue), signal: anyValue }, { requiredKeys: ['fetch'] });
    await fc.assert(fc.asyncProperty(results, dirs, saveOptions, async (result, dir, options) => holds(() => saveResultImages(result as never, dir as never, options as never), () => fetches)), RUNS);
  });
});

// One client, one photo, in a process of its own so that its peak RSS is its own:
// node photo-case.mjs <ours|fal> <emulator url> <api key> <image file> <output folder>
// From the call to the edited images saved on disk, as a user of each client writes it: ours
// `toImageUrl(path)` (fitted to the model, the default) + `run` + `saveResultImages`; fal's
// a data URL of the file + `subscribe` + fetching and writing each image. Prints JSON: the
// request bytes the client sent, the time, the RSS before (after a warm-up and a GC) and the
// peak, and the saved files.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ReadableStream, TransformStream } from 'node:stream/web';
import { createKontextClient, saveResultImages, toImageUrl } from '@anyapi-kontext/core';
import { createFalClient } from '@fal-ai/client';
import sharp from 'sharp';
import { ENDPOINT } from './clients.mjs';
import { peakRss, resetPeakRss } from './peak-rss.mjs';
import { png } from './png.mjs';

const [which, url, apiKey, file, outDir] = process.argv.slice(2);
/** The photo case's job length: the upload is what it measures (see bench/README.md). */
const PROMPT = 'make it autumn [bench 1000 ms]';

/** Every request body the client sends, counted as it goes out. */
const sent = { bytes: 0 };
const counter = () =>
  new TransformStream({
    transform(chunk, controller) {
      sent.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
/** fetch that counts the request bytes as they go out, whether given a Request (ours) or a URL and init (fal's). */
const countingFetch = (input, init = {}) => {
  if (input instanceof Request && input.body) return fetch(new Request(input, { body: input.body.pipeThrough(counter()), duplex: 'half' }));
  const { body } = init;
  if (typeof body === 'string') sent.bytes += Buffer.byteLength(body);
  else if (body instanceof Uint8Array) sent.bytes += body.byteLength;
  else if (body instanceof ReadableStream) return fetch(input, { ...init, body: body.pipeThrough(counter()), duplex: 'half' });
  return fetch(input, init);
};

let editPhoto;
if (which === 'ours') {
  const kontext = createKontextClient({ apiKey, baseUrl: url, fetch: countingFetch });
  editPhoto = async (path, prompt) => {
    const result = await kontext.run({ prompt, image_url: await toImageUrl(path) });
    return saveResultImages(result, outDir, { baseName: 'ours', overwrite: true });
  };
} else {
  const fal = createFalClient({
    fetch: countingFetch,
    requestMiddleware: async (request) => ({
      ...request,
      url: request.url.replace('https://queue.fal.run', url),
      headers: { ...request.headers, Authorization: `Bearer ${apiKey}` },
    }),
  });
  editPhoto = async (path, prompt) => {
    const bytes = await readFile(path);
    const type = (await sharp(bytes).metadata()).format === 'png' ? 'image/png' : 'image/jpeg';
    const result = await fal.subscribe(ENDPOINT, { input: { prompt, image_url: `data:${type};base64,${bytes.toString('base64')}` } });
    const paths = [];
    for (const [index, image] of result.data.images.entries()) {
      const response = await fetch(image.url);
      const path = join(outDir, `fal.${index + 1}.${image.content_type === 'image/png' ? 'png' : 'jpg'}`);
      await writeFile(path, Buffer.from(await response.arrayBuffer()));
      paths.push(path);
    }
    return paths;
  };
}

// Warm up every module and code path (ours: fitting loads sharp and the photo's decoder) with
// a small image of the photo's format, so the baseline includes them.
const format = (await sharp(file).metadata()).format;
const warmUp = join(outDir, `warm-up.${format}`);
await sharp(png(1600, 1200)).toFormat(format).toFile(warmUp);
await editPhoto(warmUp, 'warm-up [bench 1 ms]');
globalThis.gc?.();
await new Promise((resolve) => setTimeout(resolve, 50));
globalThis.gc?.();
const before = process.memoryUsage().rss;
const peakReset = resetPeakRss();
sent.bytes = 0;

const started = performance.now();
let saved = [];
let error;
try {
  saved = await editPhoto(file, PROMPT);
} catch (caught) {
  // The server refused it (e.g. fal's 422 image_too_large for more than 20 MP): the upload
  // was spent for nothing, which is what the case shows.
  error = `${caught.status ?? ''} ${caught.body?.detail?.[0]?.type ?? caught.message}`.trim();
}
const ms = performance.now() - started;
const peak = peakRss();
process.stdout.write(JSON.stringify({ bytesSent: sent.bytes, ms, before, peakReset, peak, saved, error }));

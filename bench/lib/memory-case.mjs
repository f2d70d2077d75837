// One client, one large image, in a process of its own so that its peak RSS is its own:
// node memory-case.mjs <ours|fal> <emulator url> <api key> <image file>
// Prints JSON: the RSS before (after a warm-up run and a GC) and the process's peak RSS after.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { createKontextClient, toImageUrl } from '@anyapi-kontext/core';
import { falClient, ourClient } from './clients.mjs';
import { peakRss, resetPeakRss } from './peak-rss.mjs';
import { png } from './png.mjs';

const [which, url, apiKey, file] = process.argv.slice(2);
const emulator = { url, apiKey };
const client = which === 'fal' ? falClient(emulator) : ourClient(emulator, { stream: true });
/** What a user of each client writes to send a file: ours takes the path, fal's a data URL they build. */
const imageUrlOf = which === 'fal'
  ? async (path) => `data:image/png;base64,${(await readFile(path)).toString('base64')}`
  : // As it is: this case measures the large-body path; the photo case measures fitting.
    (path) => toImageUrl(path, 'image_url', { fit: false });

// Warm up: load every module and code path with a small image, so the baseline includes them.
await client.run({ prompt: 'warm-up [bench 1 ms]', image_url: `data:image/png;base64,${png(32, 32).toString('base64')}` });
// toImageUrl's module loads on its first call (the core loads it lazily): load it here too.
if (which !== 'fal') await toImageUrl(png(32, 32));
void createKontextClient;
globalThis.gc?.();
await new Promise((resolve) => setTimeout(resolve, 50));
globalThis.gc?.();
const before = process.memoryUsage().rss;
const peakReset = resetPeakRss();

const started = performance.now();
const image_url = await imageUrlOf(file);
const result = await client.run({ prompt: 'large [bench 1 ms]', image_url });
const ms = performance.now() - started;
const peak = peakRss();
process.stdout.write(JSON.stringify({ before, peakReset, peak, ms, images: (result.data ?? result).images?.length }));

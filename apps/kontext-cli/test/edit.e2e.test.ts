import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '@anyapi-kontext/emulator';
import { imageSize } from 'image-size';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, makeThreeImageFolder } from './fixtures.js';
import { runKontext } from './run-kontext.js';

const apiKey = 'kontext-cli-test-key-7f3a9c';
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let failingBase64: string | undefined;
let refusedAtResultBase64: string | undefined;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    apiKey,
    jobDuration: 50,
    // All jobs of a batch share one prompt, so a failure is chosen by the input image.
    jobOutcome: (input) => {
      if (failingBase64 && input.image_url?.endsWith(failingBase64)) return 'failed';
      if (refusedAtResultBase64 && input.image_url?.endsWith(refusedAtResultBase64)) return 'fail-at-result';
      return undefined;
    },
  });
});
afterAll(() => emulator?.stop());
beforeEach(() => {
  failingBase64 = undefined;
  refusedAtResultBase64 = undefined;
  emulator.resetCounters();
});

const env = () => ({ ANYAPI_BASE_URL: emulator.url, ANYAPI_API_KEY: apiKey });
const magic = {
  png: (bytes: Buffer) => bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  jpg: (bytes: Buffer) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff,
};

function expectRealImage(path: string, extension: 'png' | 'jpg', sidecarImage: { width?: number; height?: number }) {
  const bytes = readFileSync(path);
  expect(magic[extension](bytes), `${path} is a ${extension}`).toBe(true);
  const size = imageSize(bytes);
  expect(size.type).toBe(extension);
  expect(size.width).toBeGreaterThan(0);
  expect(size.height).toBeGreaterThan(0);
  // What the file holds is what the API said it made.
  expect({ width: size.width, height: size.height }).toEqual({ width: sidecarImage.width, height: sidecarImage.height });
}

describe('kontext edit', () => {
  it('turns a folder of three images into three sets of outputs of the asked format', async () => {
    const work = makeTempDir();
    const { stems } = makeThreeImageFolder(work);
    const run = await runKontext(['edit', 'photos', '--prompt', 'make it snow', '--format', 'png', '--num-images', '2', '--seed', '42'], {
      cwd: work,
      env: env(),
    });
    expect(run.code, run.stderr).toBe(0);
    for (const stem of stems) {
      const sidecar = JSON.parse(readFileSync(join(work, 'out', `${stem}.json`), 'utf8'));
      expect(sidecar).toMatchObject({
        input: expect.stringContaining(stem),
        requestId: expect.any(String),
        prompt: 'make it snow',
        options: { prompt: 'make it snow', output_format: 'png', num_images: 2, seed: 42 },
      });
      expect(sidecar.seed).toEqual(expect.any(Number));
      expect(sidecar.images.map((image: { file: string }) => image.file)).toEqual([`${stem}.1.png`, `${stem}.2.png`]);
      for (const image of sidecar.images) expectRealImage(join(work, 'out', image.file), 'png', image);
    }
    // 3 x (2 images + sidecar), and the journal a rerun would resume from.
    expect(readdirSync(join(work, 'out')).filter((file) => file !== '.kontext-journal.jsonl')).toHaveLength(9);
    expect(existsSync(join(work, 'out', '.kontext-journal.jsonl'))).toBe(true);
    expect(emulator.counters.submits).toBe(3);
    // Not a terminal here: plain one-line events and a summary.
    expect(run.stdout).toMatch(/^\[\d\/3\] photos\/lake\.jpg done in .*out\/lake\.1\.png/m);
    expect(run.stdout).toMatch(/^3 of 3 done in [\d.]+m?s; results in out\/$/m);
  });

  it('writes JPEG by default, named .jpg', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    const run = await runKontext(['edit', 'photos/lake.jpg', '-p', 'add a boat', '-o', 'edited'], { cwd: work, env: env() });
    expect(run.code, run.stderr).toBe(0);
    const sidecar = JSON.parse(readFileSync(join(work, 'edited', 'lake.json'), 'utf8'));
    expectRealImage(join(work, 'edited', 'lake.1.jpg'), 'jpg', sidecar.images[0]);
  });

  it('prints a JSON summary on stdout with --json', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    const run = await runKontext(['edit', 'photos', '--prompt', 'x', '--json'], { cwd: work, env: env() });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ ok: true, done: 3, failed: 0, cancelled: 0, emulator: false });
    expect(summary.jobs).toHaveLength(3);
    for (const job of summary.jobs) {
      expect(job).toMatchObject({ status: 'done', requestId: expect.any(String), seed: expect.any(Number) });
      for (const output of job.outputs) expect(existsSync(join(work, output))).toBe(true);
    }
    // Progress went to stderr, so it does not spoil the JSON.
    expect(run.stderr).toMatch(/done in/);
  });

  it('exits non-zero when one job fails, and still writes the others', async () => {
    const work = makeTempDir();
    const { oddOneBase64 } = makeThreeImageFolder(work);
    failingBase64 = oddOneBase64;
    const run = await runKontext(['edit', 'photos', '--prompt', 'x', '--json'], { cwd: work, env: env() });
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ ok: false, done: 2, failed: 1 });
    expect(summary.jobs.find((job: { input: string }) => job.input.includes('mirrored-apple'))).toMatchObject({
      status: 'failed',
      error: expect.any(String),
    });
    expect(existsSync(join(work, 'out', 'apple.1.jpg'))).toBe(true);
    expect(existsSync(join(work, 'out', 'lake.1.jpg'))).toBe(true);
    expect(existsSync(join(work, 'out', 'mirrored-apple.json'))).toBe(false);
    expect(run.stderr).toMatch(/mirrored-apple\.png failed: /);
    expect(run.stderr).toMatch(/2 of 3 done, 1 failed in /);
  });

  it('reports a job refused when its result is fetched (fal reports those as COMPLETED)', async () => {
    const work = makeTempDir();
    const { oddOneBase64 } = makeThreeImageFolder(work);
    refusedAtResultBase64 = oddOneBase64;
    const run = await runKontext(['edit', 'photos', '--prompt', 'x'], { cwd: work, env: env() });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\[3\/3\] photos\/mirrored-apple\.png failed: .*content_policy_violation/m);
    expect(existsSync(join(work, 'out', 'apple.1.jpg'))).toBe(true);
    expect(existsSync(join(work, 'out', 'lake.1.jpg'))).toBe(true);
  });

  it('never overwrites without --force, and checks before submitting anything', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    const first = await runKontext(['edit', 'photos', '-p', 'x'], { cwd: work, env: env() });
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(join(work, 'out', 'lake.1.jpg'));
    emulator.resetCounters();

    const again = await runKontext(['edit', 'photos', '-p', 'y'], { cwd: work, env: env() });
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toMatch(/^kontext: out\/apple\.1\.jpg already exists \(and 5 more output files\); pass --force to overwrite$/);
    expect(emulator.counters.total).toBe(0);
    expect(readFileSync(join(work, 'out', 'lake.1.jpg')).equals(before)).toBe(true);

    const forced = await runKontext(['edit', 'photos', '-p', 'y', '--force'], { cwd: work, env: env() });
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(work, 'out', 'lake.json'), 'utf8')).prompt).toBe('y');
  });
});

describe('kontext edit --model', () => {
  it('a multi-image model takes every input as one job, in order, named after them all', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    const run = await runKontext(['edit', '--model', 'max/multi', 'photos/lake.jpg', 'photos/apple.png', '-p', 'put the apple by the lake', '--json'], {
      cwd: work,
      env: env(),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(emulator.counters.submits).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary.jobs).toEqual([expect.objectContaining({ input: 'photos/lake.jpg + photos/apple.png', status: 'done' })]);
    const sidecar = JSON.parse(readFileSync(join(work, 'out', 'lake+apple.json'), 'utf8'));
    expect(sidecar).toMatchObject({ model: '/fal-ai/flux-pro/kontext/max/multi', input: 'photos/lake.jpg + photos/apple.png' });
    expect(sidecar.options).not.toHaveProperty('image_urls');
    expectRealImage(join(work, 'out', 'lake+apple.1.jpg'), 'jpg', sidecar.images[0]);
    // The emulator puts a multi model's inputs side by side (5:2 here) and answers at Kontext's nearest 1 MP size.
    expect(sidecar.images[0]).toMatchObject({ width: 1568, height: 672 });
    // In the order given: the job's echo of its input has the lake first, then the apple.
    const result = await fetch(`${emulator.url}/fal-ai/flux-pro/requests/${sidecar.requestId}`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
    const { request } = (await result.json()) as { request: { image_urls: string[] } };
    const sent = request.image_urls.map((url) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
    expect(sent).toEqual([readFileSync(join(work, 'photos', 'lake.jpg')), readFileSync(join(work, 'photos', 'apple.png'))]);
  });

  it('a text-to-image model runs with a prompt only, its files named after the prompt', async () => {
    const work = makeTempDir();
    const run = await runKontext(['edit', '--model', 'text-to-image', '-p', 'A lighthouse at dusk', '--aspect-ratio', '16:9', '-n', '2'], {
      cwd: work,
      env: env(),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(emulator.counters.submits).toBe(1);
    const sidecar = JSON.parse(readFileSync(join(work, 'out', 'a-lighthouse-at-dusk.json'), 'utf8'));
    expect(sidecar).toMatchObject({ model: '/fal-ai/flux-pro/kontext/text-to-image', prompt: 'A lighthouse at dusk', options: { aspect_ratio: '16:9', num_images: 2 } });
    expect(sidecar.images).toHaveLength(2);
    for (const image of sidecar.images) {
      expectRealImage(join(work, 'out', image.file), 'jpg', image);
      // The emulator's (and Kontext's) 1 MP size nearest 16:9.
      expect([image.width, image.height]).toEqual([1392, 752]);
    }
  });

  it('a text-to-image model refuses input files, and sends nothing', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    const run = await runKontext(['edit', '--model', 'text-to-image', 'photos/lake.jpg', '-p', 'x'], { cwd: work, env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('kontext: FLUX.1 Kontext [pro] Text to Image makes an image from the prompt alone: give no input files (got photos/lake.jpg)');
    expect(emulator.counters.total).toBe(0);
  });

  it("--help shows the chosen model's flags, from its schema", async () => {
    const work = makeTempDir();
    const multi = await runKontext(['edit', '--model', 'FLUX.1 Kontext [max] Multi', '--help'], { cwd: work, env: env() });
    expect(multi.code, multi.stderr).toBe(0);
    expect(multi.stdout).toMatch(/^Usage: kontext edit <image files or folders\.\.\.> \[options\]$/m);
    expect(multi.stdout).toContain('Model: FLUX.1 Kontext [max] Multi (/fal-ai/flux-pro/kontext/max/multi), takes several images.');
    expect(multi.stdout).toMatch(/^ {2}-n, --num-images <1-4> /m);
    const text = await runKontext(['edit', '--model=text-to-image', '--help'], { cwd: work, env: env() });
    expect(text.stdout).toMatch(/^Usage: kontext edit \[options\]$/m);
    expect(text.stdout).toMatch(/^ {6}--aspect-ratio <[^>]*16:9[^>]*> /m);
    expect(emulator.counters.total).toBe(0);
  });
});

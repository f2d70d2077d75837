import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index.js';
import { call, dataUrl, pngImage, sampleInput, statusPath, submit, useEmulator, waitUntilEnded } from './helpers.js';

async function finishedResult(emulator: RunningEmulator, input: Record<string, unknown>, model = 'flux-pro') {
  const { request_id } = await submit(emulator, input);
  await waitUntilEnded(emulator, request_id);
  const result = await call(emulator, 'GET', `/fal-ai/${model}/requests/${request_id}`);
  return { requestId: request_id, ...result };
}

async function download(url: string): Promise<{ bytes: Buffer; contentType: string | null }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
}

/** Mean absolute difference per channel between two images brought to the same size. */
async function difference(a: Buffer, b: Buffer, width: number, height: number): Promise<number> {
  const raw = (bytes: Buffer) => sharp(bytes).resize(width, height).removeAlpha().raw().toBuffer();
  const [left, right] = await Promise.all([raw(a), raw(b)]);
  let total = 0;
  for (let index = 0; index < left.length; index += 1) total += Math.abs((left[index] ?? 0) - (right[index] ?? 0));
  return total / left.length;
}

describe('result', () => {
  it('answers 400 while the job runs, then the output with x-fal-request-id', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000 });
    const { request_id } = await submit(emulator, await sampleInput());
    expect((await call(emulator, 'GET', statusPath(request_id, ''))).status).toBe(400);
    emulator.finishRunningJobs();
    await waitUntilEnded(emulator, request_id);
    const result = await call(emulator, 'GET', statusPath(request_id, ''));
    expect(result.status).toBe(200);
    expect(result.headers.get('x-fal-request-id')).toBe(request_id);
    expect(result.body).toMatchObject({
      // A 64 x 48 input comes back at Kontext's 4:3 size, about 1 MP.
      images: [{ url: expect.any(String), width: 1184, height: 880, content_type: 'image/jpeg' }],
      seed: expect.any(Number),
      has_nsfw_concepts: [false],
      prompt: 'Put a donut next to the flour.',
      timings: { inference: expect.any(Number) },
      request: { prompt: 'Put a donut next to the flour.' },
    });
  });

  it("accepts AnyAPI's `auto` model name", async () => {
    const emulator = await useEmulator();
    const result = await finishedResult(emulator, await sampleInput(), 'auto');
    expect(result.status).toBe(200);
  });

  it('answers 404 for an unknown id', async () => {
    const emulator = await useEmulator();
    expect((await call(emulator, 'GET', '/fal-ai/auto/requests/missing')).status).toBe(404);
  });
});

describe('output images', () => {
  it('serves real JPEGs of about 1 MP at the input\'s aspect ratio that differ from the input and from each other', async () => {
    const emulator = await useEmulator();
    const input = await pngImage(80, 60);
    const result = await finishedResult(emulator, await sampleInput({ image_url: dataUrl(input), num_images: 2 }));
    const urls = result.body.images.map((image: { url: string }) => image.url);
    expect(urls).toEqual([
      `${emulator.url}/files/${result.requestId}/0.jpg`,
      `${emulator.url}/files/${result.requestId}/1.jpg`,
    ]);
    const [first, second] = await Promise.all(urls.map(download));
    for (const file of [first, second]) {
      expect(file?.contentType).toBe('image/jpeg');
      expect(file?.bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      const metadata = await sharp(file?.bytes).metadata();
      expect([metadata.format, metadata.width, metadata.height]).toEqual(['jpeg', 1184, 880]);
      expect(await difference(file?.bytes as Buffer, input, 80, 60)).toBeGreaterThan(10);
    }
    expect(await difference(first?.bytes as Buffer, second?.bytes as Buffer, 80, 60)).toBeGreaterThan(5);
  });

  it('writes PNG when asked and sizes the output by aspect_ratio', async () => {
    const emulator = await useEmulator();
    const result = await finishedResult(emulator, await sampleInput({ output_format: 'png', aspect_ratio: '16:9' }));
    const [image] = result.body.images;
    expect(image.content_type).toBe('image/png');
    // Kontext's 16:9 size (the nearest of its 1 MP sizes), whatever the input's shape.
    expect([image.width, image.height]).toEqual([1392, 752]);
    const file = await download(image.url);
    expect(file.contentType).toBe('image/png');
    expect(file.bytes.subarray(1, 4).toString()).toBe('PNG');
    const metadata = await sharp(file.bytes).metadata();
    expect([metadata.width, metadata.height]).toEqual([image.width, image.height]);
  });

  it('is deterministic for a given seed', async () => {
    const emulator = await useEmulator();
    const input = await sampleInput({ seed: 1234 });
    const [first, second] = await Promise.all([finishedResult(emulator, input), finishedResult(emulator, input)]);
    expect(first.body.seed).toBe(1234);
    const [a, b] = await Promise.all([download(first.body.images[0].url), download(second.body.images[0].url)]);
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });

  it('returns data URIs with sync_mode and stores no file', async () => {
    const emulator = await useEmulator();
    const result = await finishedResult(emulator, await sampleInput({ sync_mode: true, output_format: 'png' }));
    const [image] = result.body.images;
    expect(image.url).toMatch(/^data:image\/png;base64,/);
    const bytes = Buffer.from(image.url.split(',')[1], 'base64');
    expect((await sharp(bytes).metadata()).format).toBe('png');
    expect((await call(emulator, 'GET', `/files/${result.requestId}/0.png`)).status).toBe(404);
  });

  it('points image URLs at filesBaseUrl when given', async () => {
    const emulator = await useEmulator({ filesBaseUrl: 'https://files.example.test/' });
    const result = await finishedResult(emulator, await sampleInput());
    expect(result.body.images[0].url).toBe(`https://files.example.test/files/${result.requestId}/0.jpg`);
  });
});

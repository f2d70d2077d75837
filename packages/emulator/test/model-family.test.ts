import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index.js';
import { call, dataUrl, pngImage, useEmulator, waitUntilEnded } from './helpers.js';

const MULTI = '/fal-ai/flux-pro/kontext/max/multi';
const TEXT_TO_IMAGE = '/fal-ai/flux-pro/kontext/text-to-image';
const MAX = '/fal-ai/flux-pro/kontext/max';

/** A flat picture of one colour, so where it ends up in an output can be measured. */
async function flatImage(width: number, height: number, colour: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();
}

/** Submits, lets the job finish at once, and downloads its images. */
async function runToImages(emulator: RunningEmulator, path: string, body: Record<string, unknown>) {
  const ticket = await call(emulator, 'POST', path, { body });
  expect(ticket.status, JSON.stringify(ticket.body)).toBe(200);
  emulator.finishRunningJobs();
  const ended = await waitUntilEnded(emulator, ticket.body.request_id);
  expect(ended.body.status).toBe('COMPLETED');
  const result = await call(emulator, 'GET', `/fal-ai/flux-pro/requests/${ticket.body.request_id}`);
  expect(result.status).toBe(200);
  const files = await Promise.all(
    result.body.images.map(async (image: { url: string }) => Buffer.from(await (await fetch(image.url)).arrayBuffer())),
  );
  return { result: result.body, files, logs: ended.body.logs.map((log: { message: string }) => log.message) };
}

/** The mean colour of a region of an image. */
async function meanColour(bytes: Buffer, region: { left: number; top: number; width: number; height: number }) {
  const pixels = await sharp(bytes).extract(region).removeAlpha().raw().toBuffer();
  const sums = [0, 0, 0];
  for (let index = 0; index < pixels.length; index += 1) sums[index % 3] = (sums[index % 3] ?? 0) + (pixels[index] ?? 0);
  return sums.map((sum) => sum / (pixels.length / 3));
}

describe('every endpoint in the spec is served the way its model works', () => {
  it('multi composes its inputs side by side, in order, then edits them visibly', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000, seed: 7 });
    const red = await flatImage(40, 30, { r: 220, g: 30, b: 30 });
    const blue = await flatImage(60, 60, { r: 30, g: 30, b: 220 });
    const { result, files, logs } = await runToImages(emulator, MULTI, {
      prompt: 'Put them together',
      image_urls: [dataUrl(red), dataUrl(blue)],
    });
    expect(logs[0]).toMatch(/^Starting FLUX\.1 Kontext \[max\] Multi for request /);
    // Both scaled to the first one's height: 40 + 30 pixels wide, 30 high, so 7:3, which comes
    // back at Kontext's 7:3 size (22.4 times as large).
    expect(result.images).toEqual([expect.objectContaining({ width: 1568, height: 672, content_type: 'image/jpeg' })]);
    const [file] = files;
    const left = await meanColour(file, { left: 112, top: 112, width: 560, height: 336 });
    const right = await meanColour(file, { left: 1008, top: 112, width: 448, height: 336 });
    // The red input is on the left and the blue one on the right, both tinted by the edit.
    expect((left[0] ?? 0) - (right[0] ?? 0)).toBeGreaterThan(60);
    expect((right[2] ?? 0) - (left[2] ?? 0)).toBeGreaterThan(60);
    expect(Math.abs((left[1] ?? 0) - 30)).toBeGreaterThan(10);
  });

  it('text-to-image draws a picture from nothing: square by default, another ratio on request', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000, seed: 7 });
    const square = await runToImages(emulator, TEXT_TO_IMAGE, { prompt: 'A red fox in a cafe', num_images: 2, output_format: 'png' });
    expect(square.result.images).toEqual([
      expect.objectContaining({ width: 1024, height: 1024, content_type: 'image/png' }),
      expect.objectContaining({ width: 1024, height: 1024, content_type: 'image/png' }),
    ]);
    expect(square.result.request).toEqual({ prompt: 'A red fox in a cafe', num_images: 2, output_format: 'png' });
    const [first, second] = square.files;
    expect((await sharp(first).metadata()).format).toBe('png');
    // Not a blank canvas, and each image of the job is its own picture.
    const { channels } = await sharp(first).stats();
    expect(channels[0]?.stdev).toBeGreaterThan(10);
    expect(first?.equals(second as Buffer)).toBe(false);

    const wide = await runToImages(emulator, TEXT_TO_IMAGE, { prompt: 'A wide view', aspect_ratio: '16:9' });
    expect(wide.result.images[0]).toMatchObject({ width: 1392, height: 752 });
  });

  it('writes the prompt on the drawn picture: a different prompt changes the text panel', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000, seed: 7 });
    const body = { prompt: 'HELLO', seed: 1 };
    const hello = await runToImages(emulator, TEXT_TO_IMAGE, body);
    const again = await runToImages(emulator, TEXT_TO_IMAGE, body);
    const other = await runToImages(emulator, TEXT_TO_IMAGE, { ...body, prompt: 'WORLD' });
    expect(hello.files[0]?.equals(again.files[0] as Buffer)).toBe(true);
    // Same seed, so the same background: only the written prompt differs, in the middle.
    const panel = { left: 0, top: 360, width: 1024, height: 160 };
    const [a, b] = await Promise.all([hello, other].map((run) => sharp(run.files[0]).extract(panel).raw().toBuffer()));
    let changed = 0;
    for (let index = 0; index < (a?.length ?? 0); index += 1) if (Math.abs((a?.[index] ?? 0) - (b?.[index] ?? 0)) > 60) changed += 1;
    expect(changed).toBeGreaterThan(500);
  });

  it("refuses a field of another model with fal's 422 naming the field", async () => {
    const emulator = await useEmulator();
    const image = dataUrl(await pngImage());
    const single = await call(emulator, 'POST', MULTI, { body: { prompt: 'p', image_url: image } });
    expect(single.status).toBe(422);
    expect(single.body.detail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ loc: ['body', 'image_urls'], type: 'missing' }),
        expect.objectContaining({ loc: ['body', 'image_url'], type: 'extra_forbidden' }),
      ]),
    );
    const textOnly = await call(emulator, 'POST', TEXT_TO_IMAGE, { body: { prompt: 'p', image_url: image } });
    expect(textOnly.status).toBe(422);
    expect(textOnly.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'image_url'], type: 'extra_forbidden' })]);
    const notAList = await call(emulator, 'POST', MAX, { body: { prompt: 'p', image_urls: [image] } });
    expect(notAList.body.detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ loc: ['body', 'image_urls'], type: 'extra_forbidden' })]),
    );
    expect(emulator.counters.submits).toBe(0);
  });

  it('names the one image of several that could not be read', async () => {
    const emulator = await useEmulator();
    const image = dataUrl(await pngImage());
    const answer = await call(emulator, 'POST', MULTI, {
      body: { prompt: 'p', image_urls: [image, 'data:image/png;base64,AAAA'] },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.detail).toEqual([
      expect.objectContaining({ loc: ['body', 'image_urls', 1], type: 'image_load_error', msg: expect.stringContaining('image_urls[1]') }),
    ]);
    const empty = await call(emulator, 'POST', MULTI, { body: { prompt: 'p', image_urls: [] } });
    expect(empty.status).toBe(422);
    expect(empty.body.detail[0]).toMatchObject({ loc: ['body', 'image_urls'] });
  });
});

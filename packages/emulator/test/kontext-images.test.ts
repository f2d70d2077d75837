import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index.js';
import { call, dataUrl, noisePng, sampleInput, SUBMIT_PATH, submit, useEmulator, waitUntilEnded } from './helpers.js';

/** Submits to [pro], lets the job end and returns its first output image's size and bytes. */
async function firstOutput(emulator: RunningEmulator, input: Record<string, unknown>) {
  const { request_id } = await submit(emulator, input);
  emulator.finishRunningJobs();
  await waitUntilEnded(emulator, request_id);
  const result = await call(emulator, 'GET', `/fal-ai/flux-pro/requests/${request_id}`);
  expect(result.status).toBe(200);
  const [image] = result.body.images as { url: string; width: number; height: number }[];
  const bytes = Buffer.from(await (await fetch(image?.url ?? '')).arrayBuffer());
  return { width: image?.width, height: image?.height, bytes };
}

/** Two colours, left half and right half, stored as a JPEG of `width` x `height` with an EXIF orientation. */
async function halvesJpeg(width: number, height: number, orientation?: number): Promise<Buffer> {
  const half = Math.floor(width / 2);
  const base = sharp({ create: { width, height, channels: 3, background: { r: 30, g: 30, b: 220 } } }).composite([
    { input: { create: { width: half, height, channels: 3, background: { r: 220, g: 30, b: 30 } } }, left: 0, top: 0 },
  ]);
  return (orientation ? base.withMetadata({ orientation }) : base).jpeg({ quality: 95 }).toBuffer();
}

/** How much redder the left half of an output is than its right half (the edit tints both alike). */
async function leftRedderThanRight(bytes: Buffer): Promise<number> {
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  // Clear of the frame and of the band along the bottom.
  const region = (left: number) => ({ left, top: Math.round(height * 0.1), width: Math.round(width * 0.3), height: Math.round(height * 0.5) });
  const red = async (left: number) => {
    const pixels = await sharp(bytes).extract(region(left)).removeAlpha().raw().toBuffer();
    let sum = 0;
    for (let index = 0; index < pixels.length; index += 3) sum += pixels[index] ?? 0;
    return sum / (pixels.length / 3);
  };
  return (await red(Math.round(width * 0.1))) - (await red(Math.round(width * 0.6)));
}

const flatPng = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 90, g: 140, b: 60 } } }).png().toBuffer();

describe('output images are about 1 MP, as Kontext makes them', () => {
  it("keeps the input's aspect ratio whatever its size, never its pixel count", async () => {
    const emulator = await useEmulator({ jobDuration: 60_000 });
    const cases = [
      { input: await flatPng(64, 48), size: [1184, 880] },
      { input: await flatPng(3000, 2000), size: [1248, 832] },
      { input: await flatPng(600, 800), size: [880, 1184] },
      { input: await flatPng(4000, 1000), size: [1568, 672] },
    ];
    for (const { input, size } of cases) {
      const output = await firstOutput(emulator, await sampleInput({ image_url: dataUrl(input) }));
      expect([output.width, output.height]).toEqual(size);
      const metadata = await sharp(output.bytes).metadata();
      expect([metadata.width, metadata.height]).toEqual(size);
    }
  });

  it('takes the requested aspect_ratio instead, from 21:9 to 9:21', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000 });
    const image = dataUrl(await flatPng(64, 48));
    for (const [aspectRatio, size] of [
      ['21:9', [1568, 672]],
      ['9:21', [672, 1568]],
      ['1:1', [1024, 1024]],
      ['3:4', [880, 1184]],
    ] as const) {
      const output = await firstOutput(emulator, await sampleInput({ image_url: image, aspect_ratio: aspectRatio }));
      expect([output.width, output.height], aspectRatio).toEqual(size);
    }
  });

  it('shows the pixels as stored: an upright photo comes back upright, an EXIF-rotated one is not turned', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000 });
    // Upright and landscape: red on the left, blue on the right, and so in the output.
    const upright = await firstOutput(emulator, await sampleInput({ image_url: dataUrl(await halvesJpeg(120, 80), 'image/jpeg') }));
    expect([upright.width, upright.height]).toEqual([1248, 832]);
    expect(await leftRedderThanRight(upright.bytes)).toBeGreaterThan(60);
    // The same pixels tagged "rotate 90" (a phone held upright): a viewer shows it portrait, the
    // model gets it landscape, and the output stays landscape with red still on the left.
    const tagged = await halvesJpeg(120, 80, 6);
    expect((await sharp(tagged).metadata()).orientation).toBe(6);
    const sideways = await firstOutput(emulator, await sampleInput({ image_url: dataUrl(tagged, 'image/jpeg') }));
    expect([sideways.width, sideways.height]).toEqual([1248, 832]);
    expect(await leftRedderThanRight(sideways.bytes)).toBeGreaterThan(60);
    expect((await sharp(sideways.bytes).metadata()).orientation).toBeUndefined();
  });
});

describe("an input above Black Forest Labs' limits (20 MB or 20 MP) is refused as fal refuses it", () => {
  it('refuses a 21 MP image with 422 image_too_large naming the field, and queues nothing', async () => {
    const emulator = await useEmulator();
    const answer = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput({ image_url: dataUrl(await flatPng(5000, 4200)) }) });
    expect(answer.status).toBe(422);
    expect(answer.headers.get('x-fal-error-type')).toBe('image_too_large');
    expect(answer.body).toEqual({
      detail: [
        {
          loc: ['body', 'image_url'],
          msg: 'The image at image_url has 21.0 megapixels; the model takes at most 20 megapixels.',
          type: 'image_too_large',
          ctx: { max_pixels: 20_000_000 },
        },
      ],
    });
    expect(emulator.counters.submits).toBe(0);
  });

  it('refuses a 21 MB image with 422 file_too_large naming the field', async () => {
    const emulator = await useEmulator();
    // 2700 x 2700 random pixels, stored uncompressed: 7.3 MP in 21.9 MB (20.9 MiB).
    const large = await noisePng(2700, 2700);
    expect(large.length).toBeGreaterThan(20 * 1024 * 1024);
    const answer = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput({ image_url: dataUrl(large) }) });
    expect(answer.status).toBe(422);
    expect(answer.headers.get('x-fal-error-type')).toBe('file_too_large');
    expect(answer.body.detail).toEqual([
      expect.objectContaining({ loc: ['body', 'image_url'], type: 'file_too_large', ctx: { max_size: 20 * 1024 * 1024 } }),
    ]);
    expect(answer.body.detail[0].msg).toMatch(/^The image at image_url is 20\.9 MB; the model takes at most 20 MB\.$/);
    expect(emulator.counters.submits).toBe(0);
  });

  it('names the index of the image of several that is too large', async () => {
    const emulator = await useEmulator();
    const answer = await call(emulator, 'POST', '/fal-ai/flux-pro/kontext/max/multi', {
      body: { prompt: 'p', image_urls: [dataUrl(await flatPng(64, 48)), dataUrl(await flatPng(5000, 4200))] },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'image_urls', 1], type: 'image_too_large' })]);
  });

  it('takes an image just inside both limits', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000 });
    const output = await firstOutput(emulator, await sampleInput({ image_url: dataUrl(await flatPng(5000, 4000)) }));
    // 5:4 is nearest to Kontext's 1104 x 944.
    expect([output.width, output.height]).toEqual([1104, 944]);
  });
});

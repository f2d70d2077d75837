import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createKontextClient } from '@anyapi-kontext/core';
import { startEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from './fixtures.js';
import { runKontext } from './run-kontext.js';

// Photos as people have them, through `kontext edit`: fitted to the model by default (what was
// sent is read back from the job's result, which echoes the request as AnyAPI's does), sent as
// they are with --original. The refusals are in wrong-inputs.e2e.test.ts.
const apiKey = 'sk-kontext-cli-photos-2b7e4f9a1c';
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let work: string;
let phone: Buffer;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey, jobDuration: 20 });
  work = makeTempDir();
  // A 12 MP phone photo stored on its side with EXIF orientation 6; upright it is a portrait
  // whose top half is red and bottom half blue.
  const blue = await sharp({ create: { width: 2000, height: 3000, channels: 3, background: '#0000ff' } }).png().toBuffer();
  phone = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#ff0000' } })
    .composite([{ input: blue, left: 2000, top: 0 }])
    .jpeg({ quality: 85 })
    .withMetadata({ orientation: 6 })
    .toFile(join(work, 'phone.jpg'))
    .then(() => readFileSync(join(work, 'phone.jpg')));
  await sharp({ create: { width: 3000, height: 2000, channels: 4, background: { r: 0, g: 128, b: 0, alpha: 0.4 } } }).png().toFile(join(work, 'logo.png'));
}, 60_000);
afterAll(() => emulator?.stop());

const env = () => ({ ANYAPI_BASE_URL: emulator.url, ANYAPI_API_KEY: apiKey });

/** The image the job was sent, from its result's echo of the request. */
async function sentImage(outDir: string, stem: string): Promise<Buffer> {
  const { requestId } = JSON.parse(readFileSync(join(outDir, `${stem}.json`), 'utf8')) as { requestId: string };
  const client = createKontextClient({ apiKey, baseUrl: emulator.url });
  const result = await client.result(requestId);
  const url = (result.data as unknown as { request: { image_url: string } }).request.image_url;
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
}

describe('kontext edit with photos', () => {
  it('fits a rotated 12 MP phone photo (about 1 MP, upright, no EXIF turn left) and an image with alpha (WebP); the output is upright', async () => {
    const run = await runKontext(['edit', 'phone.jpg', 'logo.png', '-p', 'make it autumn', '-o', 'fitted'], { cwd: work, env: env() });
    expect(run.code, run.stderr).toBe(0);
    const sent = await sharp(await sentImage(join(work, 'fitted'), 'phone')).metadata();
    expect(sent.format).toBe('jpeg');
    expect(sent.orientation).toBeUndefined();
    expect(sent.height).toBeGreaterThan(sent.width);
    expect(sent.width * sent.height).toBeLessThanOrEqual(1_100_000);
    const output = await sharp(join(work, 'fitted', 'phone.1.jpg')).metadata();
    expect(output.height).toBeGreaterThan(output.width);
    const logo = await sharp(await sentImage(join(work, 'fitted'), 'logo')).metadata();
    expect(logo).toMatchObject({ format: 'webp', hasAlpha: true, width: 1284, height: 856 });
  });

  it('--original sends the file as it is', async () => {
    const run = await runKontext(['edit', 'phone.jpg', '-p', 'make it autumn', '-o', 'original', '--original'], { cwd: work, env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect((await sentImage(join(work, 'original'), 'phone')).equals(phone)).toBe(true);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { call, dataUrl, pngImage, sampleInput, SUBMIT_PATH, useEmulator } from './helpers.js';

let imageServer: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (imageServer ? imageServer.close(resolve) : resolve(undefined)));
  imageServer = undefined;
});

/** A local stand-in for the web server an `image_url` points at. */
async function serveImage(bytes: Buffer, contentType = 'image/png'): Promise<string> {
  imageServer = createServer((request, response) => {
    if (request.url === '/image') {
      response.writeHead(200, { 'content-type': contentType });
      response.end(bytes);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => imageServer?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}`;
}

describe('submit validation (422 in fal shape)', () => {
  it('lists each bad field with loc, msg and pydantic type, and queues nothing', async () => {
    const emulator = await useEmulator();
    const answer = await call(emulator, 'POST', SUBMIT_PATH, {
      body: { prompt: '', image_url: 'not-a-url', guidance_scale: 50, num_images: 1.5, output_format: 'gif', colour: 'red' },
    });
    expect(answer.status).toBe(422);
    const byField = Object.fromEntries(
      (answer.body.detail as { loc: string[]; type: string; msg: string }[]).map((issue) => [issue.loc.join('.'), issue]),
    );
    expect(byField['body.prompt']?.type).toBe('string_too_short');
    expect(byField['body.image_url']?.type).toBe('string_pattern_mismatch');
    expect(byField['body.guidance_scale']).toMatchObject({ type: 'less_than_equal', msg: 'Input should be less than or equal to 20' });
    expect(byField['body.num_images']?.type).toBe('int_type');
    expect(byField['body.output_format']).toMatchObject({ type: 'literal_error', msg: "Input should be 'jpeg' or 'png'" });
    expect(byField['body.colour']?.type).toBe('extra_forbidden');
    expect(emulator.counters).toMatchObject({ submit: 1, submits: 0 });
  });

  it('reports missing required fields', async () => {
    const emulator = await useEmulator();
    const answer = await call(emulator, 'POST', SUBMIT_PATH, { body: {} });
    expect(answer.status).toBe(422);
    expect(answer.body.detail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }),
        expect.objectContaining({ loc: ['body', 'image_url'], type: 'missing' }),
      ]),
    );
  });

  it('refuses a body that is not JSON or not an object', async () => {
    const emulator = await useEmulator();
    const broken = await call(emulator, 'POST', SUBMIT_PATH, { rawBody: '{"prompt":', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(422);
    expect(broken.body.detail[0].type).toBe('json_invalid');
    const list = await call(emulator, 'POST', SUBMIT_PATH, { body: [1, 2] });
    expect(list.body.detail[0]).toMatchObject({ loc: ['body'], type: 'model_attributes_type' });
  });

  it('refuses a fal_webhook that is not an http(s) URL', async () => {
    const emulator = await useEmulator();
    const answer = await call(emulator, 'POST', `${SUBMIT_PATH}?fal_webhook=ftp%3A%2F%2Fx`, { body: await sampleInput() });
    expect(answer.status).toBe(422);
    expect(answer.body.detail[0]).toMatchObject({ loc: ['query', 'fal_webhook'], type: 'url_parsing' });
  });
});

describe('input image', () => {
  it('answers image_load_error for data that is not an image, or corrupt', async () => {
    const emulator = await useEmulator();
    const png = await pngImage();
    for (const bytes of [Buffer.from('definitely not an image'), png.subarray(0, png.length / 2)]) {
      const answer = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput({ image_url: dataUrl(bytes) }) });
      expect(answer.status).toBe(422);
      expect(answer.body.detail[0]).toMatchObject({ loc: ['body', 'image_url'], type: 'image_load_error' });
      expect(answer.headers.get('x-fal-error-type')).toBe('image_load_error');
    }
  });

  it('answers image_load_error for a format AnyAPI does not accept (TIFF)', async () => {
    const emulator = await useEmulator();
    const tiff = await sharp(await pngImage()).tiff().toBuffer();
    const answer = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput({ image_url: dataUrl(tiff) }) });
    expect(answer.status).toBe(422);
    expect(answer.body.detail[0].type).toBe('image_load_error');
  });

  it('decodes jpeg, webp, gif and avif data URLs', async () => {
    const emulator = await useEmulator();
    const png = await pngImage(32, 24);
    for (const [format, mime] of [['jpeg', 'image/jpeg'], ['webp', 'image/webp'], ['gif', 'image/gif'], ['avif', 'image/avif']] as const) {
      const bytes = await sharp(png).toFormat(format).toBuffer();
      const answer = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput({ image_url: dataUrl(bytes, mime) }) });
      expect(answer.status, format).toBe(200);
    }
  });

  it('downloads an http URL, and answers file_download_error when that fails', async () => {
    const emulator = await useEmulator();
    const base = await serveImage(await pngImage());
    const ok = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput({ image_url: `${base}/image` }) });
    expect(ok.status).toBe(200);
    const missing = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput({ image_url: `${base}/missing` }) });
    expect(missing.status).toBe(422);
    expect(missing.body.detail[0]).toMatchObject({ loc: ['body', 'image_url'], type: 'file_download_error' });
    expect(emulator.counters.submits).toBe(1);
  });
});

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator as Emulator } from '@anyapi-kontext/emulator';
import { readImageFileHead } from '../src/fetch.js';
import { createKontextClient, downloadImage, InputError, saveResultImages, toImageUrl, toImageUrls } from '../src/index.js';
import { makePng, pngSize } from './support/png.js';

const dir = mkdtempSync(join(tmpdir(), 'kontext-images-'));
const pngPath = join(dir, 'in.png');
const pdfPath = join(dir, 'notes.png'); // a PDF with an image's name: the bytes decide
let emulator: Emulator;

beforeAll(async () => {
  writeFileSync(pngPath, makePng(40, 30));
  writeFileSync(pdfPath, '%PDF-1.7\n');
  emulator = await startEmulator({ port: 0, jobDuration: 10 });
});
afterAll(() => emulator.stop());

describe('toImageUrl', () => {
  it('reads a file path, bytes, a Buffer or a Blob into a data URL typed from the bytes', async () => {
    const expected = `data:image/png;base64,${readFileSync(pngPath).toString('base64')}`;
    expect(await toImageUrl(pngPath)).toBe(expected);
    expect(await toImageUrl(readFileSync(pngPath))).toBe(expected);
    expect(await toImageUrl(new Uint8Array(readFileSync(pngPath)))).toBe(expected);
    expect(await toImageUrl(new Blob([readFileSync(pngPath)]))).toBe(expected);
  });

  it('passes URLs through', async () => {
    expect(await toImageUrl('https://example.com/a.png')).toBe('https://example.com/a.png');
  });

  it('refuses an unreadable file and a file that is not an image, naming the file', async () => {
    await expect(toImageUrl(join(dir, 'missing.png'))).rejects.toThrow(/^image_url: cannot read the file .*missing\.png \(ENOENT\)$/);
    const error = await toImageUrl(pdfPath).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/notes\.png\) is a PDF file, which AnyAPI does not take: render the page to PNG first/);
  });
});

describe('readImageFileHead', () => {
  it("gives a file's first 256 KB and its size, and all of a smaller file", async () => {
    const large = join(dir, 'large.png');
    const bytes = new Uint8Array(300 * 1024).map((_, index) => index % 251);
    writeFileSync(large, bytes);
    const { head, size } = await readImageFileHead(large);
    expect(size).toBe(300 * 1024);
    expect(head).toEqual(bytes.subarray(0, 256 * 1024));
    expect(await readImageFileHead(pngPath)).toEqual({ head: new Uint8Array(readFileSync(pngPath)), size: readFileSync(pngPath).length });
  });

  it("rejects with the file system's error for its caller to word", async () => {
    await expect(readImageFileHead(join(dir, 'missing.png'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('toImageUrls', () => {
  it('turns several sources into image_urls, in order, naming the one that fails', async () => {
    const expected = `data:image/png;base64,${readFileSync(pngPath).toString('base64')}`;
    expect(await toImageUrls([pngPath, 'https://example.com/b.webp', readFileSync(pngPath)])).toEqual([
      expected,
      'https://example.com/b.webp',
      expected,
    ]);
    await expect(toImageUrls([pngPath, join(dir, 'missing.png')])).rejects.toThrow(/^image_urls\[1\]: cannot read the file .*missing\.png/);
  });

  it('feeds a multi-image model end to end', async () => {
    const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const result = await kontext.run(
      { prompt: 'side by side', image_urls: await toImageUrls([pngPath, pngPath]) },
      { endpoint: '/fal-ai/flux-pro/kontext/max/multi' },
    );
    // Two 40x30 inputs composed side by side (8:3), at the nearest of Kontext's 1 MP sizes.
    expect(result.data.images).toEqual([expect.objectContaining({ width: 1568, height: 672 })]);
  });
});

describe('saving results', () => {
  it('writes <name>.<n>.<ext> and refuses to overwrite unless asked', async () => {
    const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const result = await kontext.run({ prompt: 'save me', image_url: await toImageUrl(pngPath), num_images: 2, output_format: 'png' });
    const out = join(dir, 'out');
    const paths = await saveResultImages(result, out, { baseName: 'in' });

    expect(readdirSync(out).sort()).toEqual(['in.1.png', 'in.2.png']);
    // A 40x30 input comes back at Kontext's 4:3 size, about 1 MP.
    expect(pngSize(readFileSync(paths[0]!))).toEqual({ width: 1184, height: 880 });
    await expect(saveResultImages(result, out, { baseName: 'in' })).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(saveResultImages(result, out, { baseName: 'in', overwrite: true })).resolves.toHaveLength(2);
  });

  it('decodes sync_mode data URIs', async () => {
    const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const result = await kontext.run({ prompt: 'inline', image_url: await toImageUrl(pngPath), sync_mode: true });
    expect(result.data.images[0]?.url).toMatch(/^data:image\/jpeg;base64,/);
    const image = await downloadImage(result.data.images[0]!);
    expect(image.contentType).toBe('image/jpeg');
    expect(image.extension).toBe('jpg');
    expect(Array.from(image.bytes.subarray(0, 3))).toEqual([0xff, 0xd8, 0xff]);
  });
});

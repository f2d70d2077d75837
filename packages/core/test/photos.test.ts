import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator as Emulator } from '@anyapi-kontext/emulator';
import { createKontextClient, downloadImage, InputError, toImageUrl, toImageUrls } from '../src/index.js';
import { bytesToDataUrl as portableBytesToDataUrl, inspectImage, MAX_IMAGE_BYTES, readImageHeader } from '../src/portable.js';
import { pngHeaderOnly } from './support/png.js';
import { decodedSize, flatPng, heicPath, noisePng, readFixture, rotatedJpeg, tiffPath, topAndBottom } from './support/photos.js';

const dir = mkdtempSync(join(tmpdir(), 'kontext-photos-'));
const write = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const bmp = () => {
  // A 1 x 1 24-bit BMP: file header, info header, one pixel padded to 4 bytes.
  const bytes = Buffer.alloc(58);
  bytes.write('BM', 0, 'latin1');
  bytes.writeUInt32LE(58, 2);
  bytes.writeUInt32LE(54, 10);
  bytes.writeUInt32LE(40, 14);
  bytes.writeInt32LE(1, 18);
  bytes.writeInt32LE(1, 22);
  bytes.writeUInt16LE(1, 26);
  bytes.writeUInt16LE(24, 28);
  return new Uint8Array(bytes);
};
const svg = new TextEncoder().encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>');
const pdf = new TextEncoder().encode('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');

const dataUrlBytes = (url: string) => new Uint8Array(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
const mimeOf = (url: string) => url.slice(5, url.indexOf(';'));

let emulator: Emulator;
let pixels21: Uint8Array;
let bytes21: Uint8Array;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, jobDuration: 10 });
  pixels21 = await flatPng(5000, 4200); // 21 MP in well under 1 MB
  bytes21 = await noisePng(21); // 21 MB in about 7 MP
}, 60_000);
afterAll(async () => {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('readImageHeader: the type, size and orientation from the first bytes', () => {
  it('reads JPEG (with its EXIF orientation), PNG, GIF, WebP (lossy, lossless, with alpha) and AVIF', async () => {
    const base = sharp({ create: { width: 300, height: 200, channels: 3, background: '#808080' } });
    const withAlpha = sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } } });
    const cases: [Buffer | Uint8Array, string, number, number, number][] = [
      [await rotatedJpeg(300, 200), 'jpg', 300, 200, 6],
      [await base.clone().jpeg({ progressive: true }).toBuffer(), 'jpg', 300, 200, 1],
      [await base.clone().png().toBuffer(), 'png', 300, 200, 1],
      [await base.clone().gif().toBuffer(), 'gif', 300, 200, 1],
      [await base.clone().webp().toBuffer(), 'webp', 300, 200, 1],
      [await base.clone().webp({ lossless: true }).toBuffer(), 'webp', 300, 200, 1],
      [await withAlpha.clone().webp().toBuffer(), 'webp', 300, 200, 1],
      [await base.clone().webp().withMetadata({ orientation: 8 }).toBuffer(), 'webp', 300, 200, 8],
      [await base.clone().avif({ effort: 0 }).toBuffer(), 'avif', 300, 200, 1],
    ];
    for (const [bytes, extension, width, height, orientation] of cases) {
      expect(readImageHeader(bytes), extension).toEqual({ header: { type: expect.objectContaining({ extension }), width, height, orientation } });
    }
  });

  it('names HEIC, TIFF, BMP, SVG and PDF, and knows nothing else', () => {
    expect(readImageHeader(readFixture(heicPath))).toEqual({ refused: 'HEIC/HEIF' });
    expect(readImageHeader(readFixture(tiffPath))).toEqual({ refused: 'TIFF' });
    expect(readImageHeader(bmp())).toEqual({ refused: 'BMP' });
    expect(readImageHeader(svg)).toEqual({ refused: 'SVG' });
    expect(readImageHeader(pdf)).toEqual({ refused: 'PDF' });
    expect(readImageHeader(new TextEncoder().encode('hello'))).toEqual({ unknown: true });
  });

  it("reads a 12 MP JPEG's size and orientation from its first 64 KB", async () => {
    const photo = await rotatedJpeg(4000, 3000);
    expect(readImageHeader(photo.subarray(0, 64 * 1024))).toEqual({ header: expect.objectContaining({ width: 4000, height: 3000, orientation: 6 }) });
  });
});

describe('the limits: 20 MB and 20 MP per image, checked from the header', () => {
  it('finds a 21 MP image and a 21 MB image too large, and one at the limits fine', async () => {
    expect(inspectImage(pixels21).problem).toMatchObject({ kind: 'pixels', what: 'is 5000 x 4200 pixels (21.0 MP), above the 20 MP AnyAPI takes per image' });
    expect(bytes21.length).toBeGreaterThan(MAX_IMAGE_BYTES);
    expect(inspectImage(bytes21).problem).toMatchObject({ kind: 'bytes', what: expect.stringMatching(/^is 21\.\d MB, above the 20 MB AnyAPI takes per image$/) });
    expect(inspectImage(await flatPng(5000, 4000)).header).toMatchObject({ width: 5000, height: 4000 });
    // Only the header is needed: a file's beginning and its length.
    expect(inspectImage(pixels21.subarray(0, 1024), { totalBytes: pixels21.length }).problem?.kind).toBe('pixels');
    expect(inspectImage(bytes21.subarray(0, 1024), { totalBytes: bytes21.length }).problem?.kind).toBe('bytes');
    expect(inspectImage(pixels21, { limits: false }).header).toMatchObject({ width: 5000 });
  });

  it('bytesToDataUrl (both entries) sends as it is: it refuses another format and a file above 20 MB', async () => {
    const { bytesToDataUrl } = await import('../src/index.js');
    for (const encode of [bytesToDataUrl, portableBytesToDataUrl]) {
      expect(() => encode(bytes21, 'image_url')).toThrow(/^image_url is 21\.\d MB, above the 20 MB AnyAPI takes per image: downscale it first/);
      // The sync encoder names the format; the ways to convert it load with toImageUrl and run.
      expect(() => encode(readFixture(heicPath), 'image_url')).toThrow(/^image_url is a HEIC\/HEIF file, which AnyAPI does not take: convert it to JPEG or PNG first$/);
    }
  });

  it('run and submit read the header of any image data URL: above 20 MP, above 20 MB or another format is refused, nothing is sent', async () => {
    emulator.resetCounters();
    const client = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const asDataUrl = (bytes: Uint8Array, mime = 'image/png') => `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;
    const fine = asDataUrl(await flatPng(64, 48));
    const refusals: [Record<string, unknown>, string, string, RegExp][] = [
      [{ image_url: asDataUrl(pixels21) }, '/fal-ai/flux-pro/kontext', 'image_url', /^image_url is 5000 x 4200 pixels \(21\.0 MP\), above the 20 MP AnyAPI takes per image: downscale it first/],
      [{ image_url: asDataUrl(bytes21) }, '/fal-ai/flux-pro/kontext', 'image_url', /^image_url is 21\.\d MB, above the 20 MB/],
      [{ image_url: asDataUrl(readFixture(heicPath), 'image/jpeg') }, '/fal-ai/flux-pro/kontext', 'image_url', /^image_url is a HEIC\/HEIF file/],
      [{ image_urls: [fine, asDataUrl(readFixture(tiffPath))] }, '/fal-ai/flux-pro/kontext/max/multi', 'image_urls[1]', /^image_urls\[1\] is a TIFF file/],
    ];
    for (const [images, endpoint, field, message] of refusals) {
      const options = { endpoint: endpoint as '/fal-ai/flux-pro/kontext' };
      for (const call of [() => client.run({ prompt: 'x', ...images } as never, options), () => client.submit({ prompt: 'x', ...images } as never, options)]) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).fieldErrors).toEqual([{ field, message: expect.stringMatching(message) }]);
      }
    }
    expect(emulator.counters.total).toBe(0);
  });
});

describe('toImageUrl refuses what AnyAPI does not take, naming the file and how to convert it', () => {
  const refusals: [string, () => Uint8Array, RegExp][] = [
    ['photo.heic', () => readFixture(heicPath), /is a HEIC\/HEIF file, which AnyAPI does not take: convert it to JPEG first.*heif-convert.*Most Compatible/],
    ['scan.tif', () => readFixture(tiffPath), /is a TIFF file, which AnyAPI does not take: convert it to PNG or JPEG first, e\.g\. `convert scan\.tif scan\.png`/],
    ['picture.bmp', bmp, /is a BMP file, which AnyAPI does not take: convert it to PNG first/],
    ['drawing.svg', () => svg, /is a SVG file, which AnyAPI does not take: render it to PNG first.*rsvg-convert/],
    ['document.pdf', () => pdf, /is a PDF file, which AnyAPI does not take: render the page to PNG first.*pdftoppm/],
    ['notes.png', () => new TextEncoder().encode('just text'), /is not an image AnyAPI takes \(its bytes start 6a 75 73 74\): AnyAPI takes JPEG, PNG, WebP, GIF or AVIF/],
  ];
  for (const [name, bytes, message] of refusals) {
    it(`${name}, with fitting on and off, and sends nothing`, async () => {
      emulator.resetCounters();
      const path = write(name, bytes());
      for (const options of [{}, { fit: false }]) {
        const error = await toImageUrl(path, 'image_url', options).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).fieldErrors[0]!.field).toBe('image_url');
        expect((error as Error).message).toMatch(new RegExp(`^image_url \\(${path.replace(/[.\\/]/g, '\\$&')}\\) `));
        expect((error as Error).message).toMatch(message);
      }
      expect(emulator.counters.total).toBe(0);
    });
  }

  it('with fit: false, refuses a 21 MP and a 21 MB image and says fitting would send them; nothing is sent', async () => {
    emulator.resetCounters();
    const client = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    for (const [bytes, what] of [[pixels21, /is 5000 x 4200 pixels \(21\.0 MP\), above the 20 MP/], [bytes21, /is 21\.\d MB, above the 20 MB/]] as const) {
      const path = write('big.png', bytes);
      const run = async () => client.run({ prompt: 'x', image_url: await toImageUrl(path, 'image_url', { fit: false }) });
      await expect(run()).rejects.toThrow(what);
      await expect(run()).rejects.toThrow(/: leave fitting on \(the default\) to send it at the size the model works at, or downscale it first/);
    }
    expect(emulator.counters.total).toBe(0);
  });

  it('checks the fit option', async () => {
    await expect(toImageUrl(new Uint8Array(1), 'image_url', { fit: 'yes' as unknown as boolean })).rejects.toThrow(
      /^fit must be true \(fit image_url to the model, the default\) or false \(send it as it is\) \(got "yes"\)$/,
    );
  });
});

describe('toImageUrl fits images to the model by default', () => {
  it('turns a rotated 12 MP phone JPEG upright, downscales it to about 1 MP and sends it; the output comes back upright', async () => {
    const photo = await rotatedJpeg(4000, 3000);
    const url = await toImageUrl(write('phone.jpg', photo));
    const sent = dataUrlBytes(url);
    expect(mimeOf(url)).toBe('image/jpeg');
    const size = await decodedSize(sent);
    expect(size).toMatchObject({ format: 'jpeg', orientation: undefined });
    expect(size.height).toBeGreaterThan(size.width); // a portrait, as the phone showed it
    expect(size.width * size.height).toBeLessThanOrEqual(1_100_000);
    expect(size.width * size.height).toBeGreaterThan(1_000_000);
    expect(Math.abs(size.height / size.width - 4 / 3)).toBeLessThan(0.01);
    const { top, bottom } = await topAndBottom(sent);
    expect(top[0]).toBeGreaterThan(200); // red on top
    expect(bottom[2]).toBeGreaterThan(200); // blue at the bottom
    expect(sent.length * 5).toBeLessThan(photo.length);

    const client = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const result = await client.run({ prompt: 'make it a watercolor', image_url: url });
    const out = await decodedSize((await downloadImage(result.data.images[0]!)).bytes);
    expect(out.height).toBeGreaterThan(out.width);
  });

  it('sends an image that fits already as it is (same bytes), and fitting off sends any file as it is', async () => {
    const small = await flatPng(800, 600);
    expect(dataUrlBytes(await toImageUrl(small))).toEqual(new Uint8Array(small));
    const photo = await rotatedJpeg(1200, 900);
    expect(dataUrlBytes(await toImageUrl(photo, 'image_url', { fit: false }))).toEqual(new Uint8Array(photo));
    // A small rotated photo is still turned upright (and re-encoded) when fitting is on.
    expect(await decodedSize(dataUrlBytes(await toImageUrl(photo)))).toMatchObject({ width: 900, height: 1200, orientation: undefined });
  });

  it('turns every EXIF orientation (1-8, mirrored ones too) upright as sharp does', async () => {
    // Four quadrants of different colours: any turn or mirror moves them.
    const quadrant = (background: string) => sharp({ create: { width: 800, height: 500, channels: 3, background } }).png().toBuffer();
    const stored = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: '#000000' } })
      .composite([
        { input: await quadrant('#ff0000'), left: 0, top: 0 },
        { input: await quadrant('#00ff00'), left: 800, top: 0 },
        { input: await quadrant('#0000ff'), left: 0, top: 500 },
        { input: await quadrant('#ffffff'), left: 800, top: 500 },
      ])
      .png()
      .toBuffer();
    const corners = async (bytes: Uint8Array) => {
      const { data, info } = await sharp(bytes).autoOrient().resize(4, 4, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const at = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3), (v) => (v > 127 ? 1 : 0)).join('');
      return { shape: info.width, corners: [at(0, 0), at(3, 0), at(0, 3), at(3, 3)] };
    };
    for (let orientation = 1; orientation <= 8; orientation++) {
      const photo = await sharp(stored).jpeg({ quality: 95 }).withMetadata({ orientation }).toBuffer();
      const sent = dataUrlBytes(await toImageUrl(photo));
      const size = await decodedSize(sent);
      expect(size.orientation, `orientation ${orientation}`).toBeUndefined();
      expect(size.width > size.height, `orientation ${orientation}`).toBe(orientation < 5);
      expect(await corners(sent), `orientation ${orientation}`).toEqual(await corners(photo));
    }
  });

  it('fits a 21 MP and a 21 MB image instead of refusing them', async () => {
    for (const bytes of [pixels21, bytes21]) {
      const url = await toImageUrl(bytes);
      const size = await decodedSize(dataUrlBytes(url));
      expect(size.width * size.height).toBeLessThanOrEqual(1_100_000);
      expect(url.length).toBeLessThan(MAX_IMAGE_BYTES);
    }
  });

  it('keeps transparency: an image with alpha becomes WebP with alpha', async () => {
    const url = await toImageUrl(await flatPng(3000, 2000, 4));
    expect(mimeOf(url)).toBe('image/webp');
    expect(await decodedSize(dataUrlBytes(url))).toMatchObject({ format: 'webp', hasAlpha: true, width: 1284, height: 856 });
  });

  it('refuses an image above 250 MP from its header, before decoding it; fitting turns libvips\' operation cache off', async () => {
    const bomb = pngHeaderOnly(20_000, 15_000); // 300 MP in a few bytes
    const error = await toImageUrl(write('bomb.png', bomb)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).fieldErrors).toEqual([
      { field: 'image_url', message: expect.stringMatching(/^image_url \(.*bomb\.png\) has more than the 250 MP fitting decodes \(a photo has at most 200\): downscale it first/) },
    ]);
    // The fits above ran: the cache that would keep their decoded images is off.
    expect(sharp.cache()).toMatchObject({ memory: { max: 0 }, items: { max: 0 } });
  });

  it('toImageUrls fits each image and names the one that fails', async () => {
    const urls = await toImageUrls([await rotatedJpeg(400, 300), await flatPng(100, 100)]);
    expect(await decodedSize(dataUrlBytes(urls[0]!))).toMatchObject({ width: 300, height: 400 });
    await expect(toImageUrls([await flatPng(10, 10), readFixture(heicPath)])).rejects.toThrow(/^image_urls\[1\] is a HEIC\/HEIF file/);
  });
});

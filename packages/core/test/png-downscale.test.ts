// The PNG reader that downscales while it reads (src/node/png-downscale.ts), checked against
// what libvips decodes from the same files: every colour type and bit depth it reads, every
// PNG filter, exact block means at a whole factor, and what it leaves to sharp.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { Inflater } from '../src/node/inflate.js';
import { downscalePng } from '../src/node/png-downscale.js';
import { toImageUrl } from '../src/index.js';
import { decodedSize } from './support/photos.js';

const dir = mkdtempSync(join(tmpdir(), 'kontext-png-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WIDTH = 302;
const HEIGHT = 204;

/**
 * Pixels that make libpng choose every one of its filters (adaptive filtering): smooth
 * gradients (Sub, Up, Average) beside noise (Paeth, None), with alpha that varies.
 */
function testPixels(channels: number): Buffer {
  const pixels = Buffer.alloc(WIDTH * HEIGHT * channels);
  let seed = 7;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = x > WIDTH / 2 ? (seed >>> 16) & 255 : 0;
      for (let c = 0; c < channels; c++) {
        const at = (y * WIDTH + x) * channels + c;
        pixels[at] = c === channels - 1 && (channels === 2 || channels === 4) ? (x * 3 + y) & 255 : (x * (c + 1) + y * 2 + noise) & 255;
      }
    }
  }
  return pixels;
}

/** The mean of each factor x factor block (partial at the edges), colour weighted by alpha: area averaging at a whole factor. */
function blockMeans(pixels: Uint8Array, width: number, height: number, channels: number, factor: number): number[] {
  const alpha = channels === 2 || channels === 4;
  const out: number[] = [];
  for (let oy = 0; oy < Math.ceil(height / factor); oy++) {
    for (let ox = 0; ox < Math.ceil(width / factor); ox++) {
      const sums = new Array<number>(channels).fill(0);
      let count = 0;
      for (let y = oy * factor; y < Math.min(height, (oy + 1) * factor); y++) {
        for (let x = ox * factor; x < Math.min(width, (ox + 1) * factor); x++) {
          const at = (y * width + x) * channels;
          const weight = alpha ? pixels[at + channels - 1]! : 1;
          for (let c = 0; c < channels; c++) sums[c]! += alpha && c === channels - 1 ? weight : pixels[at + c]! * weight;
          count += 1;
        }
      }
      const total = alpha ? sums[channels - 1]! : count;
      for (let c = 0; c < channels; c++) out.push(alpha && c === channels - 1 ? Math.round(total / count) : total === 0 ? 0 : Math.round(sums[c]! / total));
    }
  }
  return out;
}

/** What libvips decodes from the file, as 8-bit channels. */
async function decodedBy(file: string, channels: number) {
  const { data, info } = await sharp(file).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (channels > 2) return { pixels: new Uint8Array(data), channels: info.channels };
  // libvips hands grey out as sRGB (the grey in each of R, G and B): keep R, and the alpha.
  const kept = channels === 1 ? [0] : [0, info.channels - 1];
  const pixels = new Uint8Array(info.width * info.height * kept.length);
  for (let i = 0; i < info.width * info.height; i++) kept.forEach((band, k) => (pixels[i * kept.length + k] = data[i * info.channels + band]!));
  return { pixels, channels: kept.length };
}

const cases: [string, (pixels: Buffer) => ReturnType<typeof sharp>, number][] = [
  ['8-bit RGB', (p) => sharp(p, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).png({ adaptiveFiltering: true }), 3],
  ['8-bit RGBA', (p) => sharp(p, { raw: { width: WIDTH, height: HEIGHT, channels: 4 } }).png({ adaptiveFiltering: true }), 4],
  ['8-bit grey', (p) => sharp(p, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } }).toColourspace('b-w').png({ adaptiveFiltering: true }), 1],
  ['8-bit grey with alpha', (p) => sharp(p, { raw: { width: WIDTH, height: HEIGHT, channels: 2 } }).toColourspace('b-w').png({ adaptiveFiltering: true }), 2],
  ['16-bit RGB', (p) => sharp(p, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).toColourspace('rgb16').png({ adaptiveFiltering: true }), 3],
  ['8-bit palette', (p) => sharp(p, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).png({ palette: true, colours: 256, dither: 0 }), 3],
  ['8-bit palette with transparency', (p) => sharp(p, { raw: { width: WIDTH, height: HEIGHT, channels: 4 } }).png({ palette: true, colours: 256, dither: 0 }), 4],
];

describe('downscalePng reads what libvips reads and averages each output pixel\'s area', () => {
  for (const [name, encode, channels] of cases) {
    it(`${name}: at a whole factor, each output pixel is its block's mean of the decoded pixels`, async () => {
      const file = join(dir, `${name.replaceAll(' ', '-')}.png`);
      await encode(testPixels(channels)).toFile(file);
      const decoded = await decodedBy(file, channels);
      expect(decoded.channels).toBe(channels);
      const expected = blockMeans(decoded.pixels, WIDTH, HEIGHT, channels, 2);
      for (const input of [file, new Uint8Array(readFileSync(file))]) {
        const result = await downscalePng(input, 151, 102);
        expect(result).toMatchObject({ width: 151, height: 102, channels });
        const differing = expected.findIndex((value, i) => result!.data[i] !== value);
        expect(differing === -1 ? 'all equal' : `first difference at ${differing}: ${result!.data[differing]} for ${expected[differing]}`).toBe('all equal');
      }
    });
  }

  it('at a fractional factor, gives what libvips gives to within a level or two on a smooth picture', async () => {
    const file = join(dir, 'smooth.png');
    const width = 1200;
    const height = 900;
    const pixels = Buffer.alloc(width * height * 3);
    for (let i = 0; i < pixels.length; i++) {
      const x = Math.floor(i / 3) % width;
      const y = Math.floor(i / 3 / width);
      pixels[i] = Math.round(127 + 100 * Math.sin(x / 60 + (i % 3)) * Math.cos(y / 45));
    }
    await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toFile(file);
    const result = await downscalePng(file, 437, 328);
    const reference = await sharp(file).resize(437, 328, { fit: 'fill' }).raw().toBuffer();
    let difference = 0;
    for (let i = 0; i < reference.length; i++) difference += Math.abs(reference[i]! - result!.data[i]!);
    expect(difference / reference.length).toBeLessThan(1.5);
  });

  it('leaves to sharp what it does not read: interlaced, 1-bit, and with an ICC profile', async () => {
    const base = sharp(testPixels(3), { raw: { width: WIDTH, height: HEIGHT, channels: 3 } });
    const files = {
      interlaced: await base.clone().png({ progressive: true }).toBuffer(),
      oneBit: await base.clone().png({ palette: true, colours: 2 }).toBuffer(),
      icc: await base.clone().withIccProfile('p3').png().toBuffer(),
    };
    for (const bytes of Object.values(files)) expect(await downscalePng(bytes, 100, 60)).toBeUndefined();
    // ...and fitting still sends them, through sharp.
    const interlaced = await sharp({ create: { width: 1500, height: 1000, channels: 3, background: '#204060' } }).png({ progressive: true }).toBuffer();
    expect(await downscalePng(interlaced, 1284, 856)).toBeUndefined();
    const fitted = await toImageUrl(interlaced);
    expect(await decodedSize(Buffer.from(fitted.slice(fitted.indexOf(',') + 1), 'base64'))).toMatchObject({ format: 'jpeg', width: 1284, height: 856 });
  });

  it('throws for a damaged PNG: cut short, or a row with an unknown filter', async () => {
    const whole = await sharp(testPixels(3), { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    const idat = whole.indexOf('IDAT');
    await expect(downscalePng(whole.subarray(0, idat + 5000), 100, 60)).rejects.toThrow(/unexpected end of file/);
    // A changed pixel byte in a stored block: the stream stays well formed, its checksum does not.
    const changedPixel = Buffer.from(whole);
    changedPixel[idat + 4 + 2 + 5 + 100]! ^= 0x55;
    await expect(downscalePng(changedPixel, 100, 60)).rejects.toThrow(/the image data is damaged \(its checksum does not match\)/);
    const large = await sharp({ create: { width: 1500, height: 1000, channels: 3, background: '#204060' } }).png({ compressionLevel: 0 }).toBuffer();
    await expect(toImageUrl(large.subarray(0, large.length / 2))).rejects.toThrow(/^image_url cannot be read as an image \(unexpected end of file\)/);
    const badFilter = Buffer.from(whole);
    // compressionLevel 0 stores the rows: a stored block's 5-byte header, then row 0's filter byte.
    badFilter[idat + 4 + 2 + 5] = 9;
    await expect(downscalePng(badFilter, 100, 60)).rejects.toThrow(/unknown PNG filter 9 in row 0/);
  });

  it('through toImageUrl: a 24 MP PNG comes out about 1 MP, upright by its EXIF orientation', async () => {
    const pixels = Buffer.alloc(6000 * 4000 * 3);
    for (let i = 0; i < 6000 * 4000; i++) pixels.set(i % 6000 < 3000 ? [255, 0, 0] : [0, 0, 255], i * 3);
    const stored = await sharp(pixels, { raw: { width: 6000, height: 4000, channels: 3 } }).png().withMetadata({ orientation: 6 }).toBuffer();
    const url = await toImageUrl(stored);
    const bytes = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
    expect(await decodedSize(bytes)).toMatchObject({ format: 'jpeg', width: 856, height: 1284 });
    // Stored left half red: upright (turned 90 degrees clockwise), the top half is red.
    const { data } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => Array.from(data.subarray((y * 856 + x) * 3, (y * 856 + x) * 3 + 3));
    expect(at(428, 100)).toEqual([expect.toSatisfy((red: number) => red > 200), expect.toSatisfy((green: number) => green < 50), expect.toSatisfy((blue: number) => blue < 50)]);
    expect(at(428, 1180)).toEqual([expect.toSatisfy((red: number) => red < 50), expect.toSatisfy((green: number) => green < 50), expect.toSatisfy((blue: number) => blue > 200)]);
  });
});

describe('Inflater decodes what node:zlib deflates, in pieces of any size', () => {
  const streams: [string, Buffer, number][] = [
    ['dynamic Huffman codes and long matches', Buffer.from('kontext edits photos; '.repeat(5000)), 9],
    ['fixed Huffman codes', Buffer.from('abcabcabc'), 9],
    ['stored blocks', randomBytes(200_000), 0],
    ['incompressible data', randomBytes(300_000), 6],
  ];
  for (const [name, data, level] of streams) {
    it(name, () => {
      const deflated = deflateSync(data, { level });
      for (const piece of [1, 7, 1000, 70_000]) {
        const out: Buffer[] = [];
        const inflater = new Inflater((bytes) => out.push(Buffer.from(bytes)));
        for (let at = 0; at < deflated.length; at += piece) inflater.push(deflated.subarray(at, at + piece));
        inflater.end();
        expect(Buffer.concat(out).equals(data)).toBe(true);
      }
    });
  }

  it('throws for a stream cut short and for one that is not zlib', () => {
    const deflated = deflateSync(randomBytes(50_000), { level: 0 });
    const cut = new Inflater(() => undefined);
    cut.push(deflated.subarray(0, 20_000));
    expect(() => cut.end()).toThrow('unexpected end of file');
    expect(() => new Inflater(() => undefined).end()).toThrow('unexpected end of file');
    const changed = Buffer.from(deflateSync(Buffer.from('kontext '.repeat(1000)), { level: 0 }));
    changed[20]! ^= 1;
    const checked = new Inflater(() => undefined);
    checked.push(changed);
    expect(() => checked.end()).toThrow('the image data is damaged (its checksum does not match)');
    const notZlib = new Inflater(() => undefined);
    notZlib.push(Buffer.from('not a zlib stream at all'));
    expect(() => notZlib.end()).toThrow('the image data is not a zlib stream');
  });
});

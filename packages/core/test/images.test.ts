import { describe, expect, it } from 'vitest';
import {
  bytesToDataUrl,
  decodeBase64,
  decodeDataUrl,
  describeReceivedImage,
  detectImageType,
  encodeBase64,
  InputError,
} from '../src/portable.js';

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(values.flatMap((v) => (typeof v === 'string' ? [...v].map((c) => c.charCodeAt(0)) : [v])));

const SAMPLES = {
  jpeg: bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF'),
  png: bytes(0x89, 'PNG\r\n', 0x1a, '\n', 0, 0, 0, 13, 'IHDR'),
  gif: bytes('GIF89a', 1, 0, 1, 0),
  webp: bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '),
  avif: bytes(0, 0, 0, 0x1c, 'ftyp', 'avif', 0, 0, 0, 0, 'avifmif1miaf'),
  avifCompatible: bytes(0, 0, 0, 0x1c, 'ftyp', 'mif1', 0, 0, 0, 0, 'mif1avifmiaf'),
};

describe('detectImageType', () => {
  it('reads jpeg, png, gif, webp and avif from their bytes', () => {
    expect(detectImageType(SAMPLES.jpeg)?.mime).toBe('image/jpeg');
    expect(detectImageType(SAMPLES.png)?.mime).toBe('image/png');
    expect(detectImageType(SAMPLES.gif)?.mime).toBe('image/gif');
    expect(detectImageType(SAMPLES.webp)?.mime).toBe('image/webp');
    expect(detectImageType(SAMPLES.avif)?.mime).toBe('image/avif');
    expect(detectImageType(SAMPLES.avifCompatible)?.mime).toBe('image/avif');
  });

  it('knows nothing else', () => {
    expect(detectImageType(bytes('%PDF-1.7 hello'))).toBeUndefined();
    expect(detectImageType(bytes(0, 0, 0, 0x18, 'ftyp', 'heic', 0, 0, 0, 0, 'mif1heic'))).toBeUndefined();
    expect(detectImageType(bytes('BM', 0, 0))).toBeUndefined();
    expect(detectImageType(new Uint8Array())).toBeUndefined();
  });
});

describe('bytesToDataUrl', () => {
  it('builds a base64 data URL with the type read from the bytes', () => {
    expect(bytesToDataUrl(SAMPLES.png)).toBe(`data:image/png;base64,${Buffer.from(SAMPLES.png).toString('base64')}`);
  });

  it('refuses other files, naming the field', () => {
    expect(() => bytesToDataUrl(bytes('%PDF-1.7'), 'photo')).toThrowError(InputError);
    expect(() => bytesToDataUrl(bytes('%PDF-1.7'), 'photo')).toThrowError(/^photo is a PDF file, which AnyAPI does not take: convert it to JPEG or PNG first$/);
    expect(() => bytesToDataUrl(new Uint8Array())).toThrowError(/^image is empty \(0 bytes\): AnyAPI takes JPEG, PNG, WebP, GIF or AVIF images$/);
  });
});

describe('describeReceivedImage', () => {
  it('trusts the bytes over the label the server sent', () => {
    expect(describeReceivedImage(SAMPLES.png, 'application/octet-stream')).toMatchObject({ contentType: 'image/png', extension: 'png' });
    expect(describeReceivedImage(SAMPLES.jpeg, 'image/png')).toMatchObject({ contentType: 'image/jpeg', extension: 'jpg' });
  });

  it('falls back to the declared type, and to .bin when nothing says what it is', () => {
    const unknown = bytes('BM', 0, 0);
    expect(describeReceivedImage(unknown, 'Image/BMP; q=1')).toEqual({ bytes: unknown, contentType: 'image/bmp', extension: 'bmp' });
    expect(describeReceivedImage(unknown, 'image/x-made-up')).toMatchObject({ contentType: 'image/x-made-up', extension: 'bin' });
    expect(describeReceivedImage(unknown)).toMatchObject({ contentType: 'application/octet-stream', extension: 'bin' });
  });
});

describe('decodeDataUrl', () => {
  it('reads base64 data URLs, with or without other parameters', () => {
    const base64 = Buffer.from(SAMPLES.webp).toString('base64');
    expect(decodeDataUrl(`data:image/webp;base64,${base64}`)).toEqual({ bytes: SAMPLES.webp, contentType: 'image/webp', extension: 'webp' });
    expect(decodeDataUrl(`data:;name=x.webp;base64,${base64}`)?.bytes).toEqual(SAMPLES.webp);
  });

  it('reads percent-encoded data URLs byte for byte', () => {
    const encoded = [...SAMPLES.png].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
    expect(decodeDataUrl(`data:image/png,${encoded}`)).toEqual({ bytes: SAMPLES.png, contentType: 'image/png', extension: 'png' });
    expect(decodeDataUrl('data:text/plain,a%20b\u00e9')?.bytes).toEqual(Uint8Array.from([0x61, 0x20, 0x62, 0xc3, 0xa9]));
  });

  it('answers undefined for what it cannot read', () => {
    expect(decodeDataUrl('https://example.com/a.png')).toBeUndefined();
    expect(decodeDataUrl('data:image/png')).toBeUndefined();
    expect(decodeDataUrl('data:image/png,%zz')).toBeUndefined();
  });
});

describe('base64', () => {
  it('matches Node for every length remainder and large inputs', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 100_000, 150_001]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 7919) % 256);
      const encoded = encodeBase64(data);
      expect(encoded).toBe(Buffer.from(data).toString('base64'));
      expect(Buffer.from(decodeBase64(encoded)).equals(Buffer.from(data))).toBe(true);
      expect(encodeBase64(data, 'data:image/png;base64,')).toBe(`data:image/png;base64,${encoded}`);
    }
  });
});

describe("bytesToDataUrl on Node's Buffer", () => {
  it('gives the same data URL as the portable encoder, and the same error', async () => {
    const { bytesToDataUrl: onNode } = await import('../src/index.js');
    const { bytesToDataUrl: portable } = await import('../src/portable.js');
    expect(onNode).not.toBe(portable);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 1000 }, (_, i) => (i * 37) % 256)]);
    for (const length of [8, 9, 10, 11, 1008]) {
      const bytes = png.subarray(0, length);
      expect(onNode(bytes)).toBe(portable(bytes));
    }
    // A view into a larger buffer encodes only its own bytes.
    const offset = new Uint8Array(2000);
    offset.set(png, 500);
    expect(onNode(offset.subarray(500, 1508))).toBe(portable(png));
    expect(() => onNode(new Uint8Array([1, 2, 3]), 'image_url')).toThrow(/^image_url is not an image AnyAPI takes \(its bytes start 01 02 03\): AnyAPI takes JPEG, PNG, WebP, GIF or AVIF; convert it to one of them first$/);
  });
});

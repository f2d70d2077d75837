import { describe, expect, it } from 'vitest';
import { bytesToDataUrl, decodeBase64, detectImageType, encodeBase64, InputError } from '../src/portable.js';

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
    expect(() => bytesToDataUrl(bytes('%PDF-1.7'), 'photo')).toThrowError(/^photo must be a jpg, png, webp, gif or avif image \(its bytes are not a known image type, starting 25 50 44 46\)$/);
    expect(() => bytesToDataUrl(new Uint8Array())).toThrowError(/its bytes are empty/);
  });
});

describe('base64', () => {
  it('matches Node for every length remainder and large inputs', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 100_000, 150_001]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 7919) % 256);
      const encoded = encodeBase64(data);
      expect(encoded).toBe(Buffer.from(data).toString('base64'));
      expect(Buffer.from(decodeBase64(encoded)).equals(Buffer.from(data))).toBe(true);
    }
  });
});

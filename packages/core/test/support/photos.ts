// Photos as people have them, made with sharp (libvips) for the tests; the HEIC and the TIFF
// are committed (test/fixtures/README.md says how they were made), so no test needs libheif
// or ImageMagick installed.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** A real HEIC (64 x 48, from heif-enc) and a real TIFF (64 x 48, LZW, from ImageMagick). */
export const heicPath = fixture('photo.heic');
export const tiffPath = fixture('scan.tif');
export const readFixture = (path: string) => new Uint8Array(readFileSync(path));

/**
 * A phone-style JPEG: stored `width` x `height` (landscape) with EXIF orientation 6, so it is
 * upright as a portrait of `height` x `width`. The stored image's left half is red and its
 * right half blue, under fine noise (sensor grain: what makes a phone photo megabytes and not
 * kilobytes): upright, the top is red and the bottom blue.
 */
export async function rotatedJpeg(width: number, height: number): Promise<Uint8Array> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let i = 0; i < width * height; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const grain = (seed >>> 16) % 24;
    const red = i % width < width / 2;
    pixels[i * 3] = red ? 255 - grain : grain;
    pixels[i * 3 + 1] = grain;
    pixels[i * 3 + 2] = red ? grain : 255 - grain;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** A flat PNG of `width` x `height`: many pixels in few bytes (a 21 MP one is under 100 KB). */
export const flatPng = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background: channels === 4 ? { r: 10, g: 200, b: 30, alpha: 0.5 } : '#40a0c0' } })
    .png({ compressionLevel: 1 })
    .toBuffer();

/** A PNG of noise a little above `megabytes` MB (2^20 bytes), in few pixels (noise does not compress). */
export async function noisePng(megabytes: number): Promise<Uint8Array> {
  const side = Math.ceil(Math.sqrt((megabytes * 1024 * 1024) / 3) * 1.01);
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

/** Width, height and EXIF orientation as a decoder reads them. */
export async function decodedSize(bytes: Uint8Array): Promise<{ width: number; height: number; orientation: number | undefined; format: string | undefined; hasAlpha: boolean }> {
  const meta = await sharp(bytes).metadata();
  return { width: meta.width, height: meta.height, orientation: meta.orientation, format: meta.format, hasAlpha: meta.hasAlpha };
}

/** The average colour of the top and bottom tenth of an image as shown (EXIF orientation applied). */
export async function topAndBottom(bytes: Uint8Array): Promise<{ top: [number, number, number]; bottom: [number, number, number] }> {
  const { data, info } = await sharp(bytes).autoOrient().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const band = Math.max(1, Math.floor(info.height / 10));
  const mean = (fromRow: number): [number, number, number] => {
    const sum = [0, 0, 0];
    for (let y = fromRow; y < fromRow + band; y++) {
      for (let x = 0; x < info.width; x++) for (let c = 0; c < 3; c++) sum[c]! += data[(y * info.width + x) * 3 + c]!;
    }
    return sum.map((s) => Math.round(s / (band * info.width))) as [number, number, number];
  };
  return { top: mean(0), bottom: mean(info.height - band) };
}

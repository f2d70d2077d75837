// Fitting an image to the model, with `sharp` (libvips). Loaded only when an image needs it,
// so the core's entry stays small and a client that sends URLs never loads libvips.
import { InputError } from '../errors.js';
import { MAX_IMAGE_BYTES } from '../images/image-type.js';
import type { ImageHeader } from '../images/image-header.js';
import type Sharp from 'sharp';

/**
 * The most pixels an image is sent with when fitted. Kontext works at about one megapixel
 * whatever the input: BFL's Kontext documents show a 2048 x 1365 input edited to 1248 x 832,
 * and the 1K canvases Kontext is served at per aspect ratio (1024 x 1024, 1184 x 880,
 * 1248 x 832, 1392 x 752, 1568 x 672, multiples of 16; listed by providers such as Runware)
 * are 1.05 MP at most.
 * The model resizes its input to that canvas, so pixels above it cost upload and are thrown
 * away. 1.1 MP covers the largest canvas at every aspect ratio from 21:9 to 9:21 (a 21:9 photo
 * fitted to 1.1 MP is 1600 x 686, wider than 1568 x 672), so the model never upscales what we
 * send. See packages/core/README.md ("Photos").
 */
export const WORKING_PIXELS = 1_100_000;

/** JPEG and WebP quality of a fitted image: no visible loss at this size (0.1-0.4 MB a photo). */
const QUALITY = 90;

/**
 * The most pixels fitting decodes: the largest phone sensors are 200 MP (16320 x 12240); more
 * is a decompression bomb, not a photo (sharp's own default, 268 MP, is close).
 */
const MAX_INPUT_PIXELS = 250_000_000;

let loaded: Promise<typeof Sharp> | undefined;

/**
 * sharp, loaded on first use, with libvips' operation cache off: the cache keeps recent
 * decodes for reuse (up to 50 MB), which a one-off fit never reuses, and it measured 10 MB
 * of a 12 MP photo's peak (bench/README.md, "Photos"). The setting is process-wide, so an
 * application that uses sharp itself and wants the cache sets `sharp.cache()` again after its
 * first fit. (libvips' thread count, `sharp.concurrency`, measured no difference.)
 */
function loadSharp(): Promise<typeof Sharp> {
  loaded ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    return sharp;
  });
  return loaded;
}

/** Whether sending the image as it is would waste upload or show it on its side. */
export function needsFitting(header: ImageHeader, byteLength: number): boolean {
  const pixels = (header.width ?? Infinity) * (header.height ?? Infinity);
  return header.orientation !== 1 || pixels > WORKING_PIXELS || byteLength > MAX_IMAGE_BYTES;
}

/**
 * How sharp turns a stored image upright, per EXIF orientation: a mirror (flop: left-right,
 * flip: up-down) applied before a clockwise turn, as sharp applies them. Used for a PNG downscaled
 * while read (png-downscale.ts), whose raw pixels no longer carry the tag.
 */
const UPRIGHT: Record<number, { flop?: true; flip?: true; turn?: 90 | 180 | 270 }> = {
  2: { flop: true },
  3: { turn: 180 },
  4: { flip: true },
  5: { flop: true, turn: 270 },
  6: { turn: 90 },
  7: { flop: true, turn: 90 },
  8: { turn: 270 },
};

/**
 * The image (bytes, or a file's path so that it is never read whole into memory) downscaled to
 * at most WORKING_PIXELS (aspect ratio kept, never enlarged), turned upright by its EXIF
 * orientation, converted to sRGB and re-encoded: JPEG for an opaque image, WebP (with its
 * alpha) for one with transparency. Metadata is dropped, so the orientation tag cannot turn it
 * a second time.
 *
 * One sharp pipeline, for memory: libvips reads a JPEG at a fraction of its size (shrink on
 * load) and any image line by line, and turns only the downscaled image. A PNG is downscaled
 * while it is read instead (png-downscale.ts says why), and sharp turns and encodes the result.
 */
export async function fitImage(input: Uint8Array | string, field: string, shownAs: string): Promise<Uint8Array> {
  const sharp = await loadSharp();
  try {
    const options = { failOn: 'error', sequentialRead: true, limitInputPixels: MAX_INPUT_PIXELS } as const;
    const meta = await sharp(input, options).metadata();
    const scale = Math.min(1, Math.sqrt(WORKING_PIXELS / (meta.width * meta.height)));
    const orientation = meta.orientation ?? 1;
    const stored = { width: Math.max(1, Math.floor(meta.width * scale)), height: Math.max(1, Math.floor(meta.height * scale)) };
    const downscaled = meta.format === 'png' && scale < 1 ? await (await import('./png-downscale.js')).downscalePng(input, stored.width, stored.height) : undefined;
    let image: ReturnType<typeof Sharp>;
    if (downscaled) {
      const { flop, flip, turn } = UPRIGHT[orientation] ?? {};
      image = sharp(downscaled.data, { raw: { width: downscaled.width, height: downscaled.height, channels: downscaled.channels } });
      if (flop) image.flop();
      if (flip) image.flip();
      if (turn) image.rotate(turn);
    } else {
      // sharp's resize names the size after turning upright.
      const upright = orientation >= 5 ? { width: stored.height, height: stored.width } : stored;
      image = sharp(input, options).autoOrient().resize({ ...upright, fit: 'inside', withoutEnlargement: true });
    }
    image.toColourspace('srgb');
    const alpha = downscaled ? downscaled.channels === 2 || downscaled.channels === 4 : meta.hasAlpha;
    if (alpha) return await image.webp({ quality: QUALITY, alphaQuality: 100 }).toBuffer();
    // Without optimised Huffman tables libjpeg writes as it goes; with them it keeps the whole
    // image's coefficients (3.3 MB at 1.1 MP) for a file 15% smaller (0.12 MB instead of 0.1),
    // and the fit's median peak measured 12.5 MB instead of 9 MB (bench/README.md, "Photos").
    return await image.jpeg({ quality: QUALITY, optimiseCoding: false }).toBuffer();
  } catch (error) {
    const message = (error as Error).message;
    if (/pixel limit/i.test(message)) {
      throw new InputError([{ field, message: `${shownAs} has more than the ${MAX_INPUT_PIXELS / 1_000_000} MP fitting decodes (a photo has at most 200): downscale it first, e.g. \`convert big.png -resize 4000x4000 smaller.png\` (ImageMagick)` }]);
    }
    throw new InputError([{ field, message: `${shownAs} cannot be read as an image (${message})` }]);
  }
}

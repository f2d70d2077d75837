import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { DecodedImage } from './decoded-image.js';

/** fal's error types for an input image it could not use. */
export type InputImageErrorType = 'file_download_error' | 'image_load_error' | 'file_too_large' | 'image_too_large';

export class InputImageError extends Error {
  constructor(
    readonly type: InputImageErrorType,
    message: string,
    /** fal's machine-readable context of the error, e.g. the limit that was passed. */
    readonly ctx?: Record<string, number>,
  ) {
    super(message);
  }
}

/** The formats the AnyAPI documentation accepts for `image_url`. */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif']);

/**
 * Black Forest Labs' limits for a Kontext input image: 20 MB or 20 megapixels. A megabyte is
 * read as 1024 * 1024 bytes and a megapixel as 1,000,000 pixels (BFL does not say which).
 */
export const MAX_INPUT_BYTES = 20 * 1024 * 1024;
export const MAX_INPUT_PIXELS = 20_000_000;

/**
 * The longest side an input is kept at once decoded. The model works at about 1 MP (at most
 * 1568 px a side, see output-size.ts), so a job holds no more pixels than that needs; a
 * queued 20 MP photo would otherwise hold 80 MB.
 */
const KEPT_SIDE = 1568;

/**
 * Fetches (http/https) or unpacks (data URL) the image to edit and decodes it fully, so a
 * truncated or mislabelled file, or one over BFL's limits, is refused at submit, as fal refuses
 * it. The pixels are kept as stored: EXIF orientation is not applied (see decode).
 */
export async function loadInputImage(imageUrl: string, downloadTimeout: number, field = 'image_url'): Promise<DecodedImage> {
  const bytes = imageUrl.startsWith('data:') ? bytesFromDataUrl(imageUrl) : await download(imageUrl, downloadTimeout, field);
  if (bytes.length > CACHED_BYTES_MAX) return await decode(bytes, field);
  const key = createHash('sha256').update(bytes).digest('base64');
  const cached = recentlyDecoded.get(key);
  if (cached) return cached;
  const decoded = await decode(bytes, field);
  recentlyDecoded.set(key, decoded);
  if (recentlyDecoded.size > CACHED_IMAGES) recentlyDecoded.delete(recentlyDecoded.keys().next().value!);
  return decoded;
}

/**
 * The last few small images decoded, by their bytes. A batch that edits the same photo again
 * and again (a workflow's 20 items, the bench) is decoded once: sharp's two passes took 5-25 ms
 * of each submit under load, time a client waited for its ticket. The pixels are only read.
 */
const recentlyDecoded = new Map<string, DecodedImage>();
const CACHED_IMAGES = 8;
const CACHED_BYTES_MAX = 1024 * 1024;

function bytesFromDataUrl(dataUrl: string): Buffer {
  const comma = dataUrl.indexOf(',');
  if (comma < 0 || !dataUrl.slice(0, comma).endsWith(';base64')) {
    throw new InputImageError('image_load_error', 'The data URL is not base64-encoded image data.');
  }
  return Buffer.from(dataUrl.slice(comma + 1), 'base64');
}

async function download(url: string, timeout: number, field: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeout), redirect: 'follow' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputImageError('file_download_error', `Failed to download the file from ${field}: ${reason}`);
  }
  if (!response.ok) {
    throw new InputImageError(
      'file_download_error',
      `Failed to download the file from ${field}: the server answered HTTP ${response.status}.`,
    );
  }
  return Buffer.from(await response.arrayBuffer());
}

async function decode(bytes: Buffer, field: string): Promise<DecodedImage> {
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new InputImageError(
      'file_too_large',
      `The image at ${field} is ${megabytes(bytes.length)} MB; the model takes at most ${megabytes(MAX_INPUT_BYTES)} MB.`,
      { max_size: MAX_INPUT_BYTES },
    );
  }
  let format: string | undefined;
  let pixels = 0;
  try {
    const metadata = await sharp(bytes).metadata();
    // libvips reports AVIF as HEIF; the AV1 compression is what makes it AVIF.
    format = metadata.format === 'heif' && metadata.compression === 'av1' ? 'avif' : metadata.format;
    pixels = metadata.width * metadata.height;
  } catch {
    throw new InputImageError('image_load_error', `The file at ${field} is not an image that could be read.`);
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) {
    throw new InputImageError(
      'image_load_error',
      `Unsupported image format${format ? ` "${format}"` : ''}: use jpg, jpeg, png, webp, gif or avif.`,
    );
  }
  if (pixels > MAX_INPUT_PIXELS) {
    throw new InputImageError(
      'image_too_large',
      `The image at ${field} has ${(pixels / 1e6).toFixed(1)} megapixels; the model takes at most ${MAX_INPUT_PIXELS / 1e6} megapixels.`,
      { max_pixels: MAX_INPUT_PIXELS },
    );
  }
  try {
    // No .rotate(): a model gets the pixels as stored, and libraries that load them (PIL's
    // Image.open, which fal's Python apps use) do not apply the EXIF orientation unless asked.
    // A phone photo stored sideways with an orientation tag comes back sideways, as the bench
    // expects of a client that sends the file as it is.
    const { data, info } = await sharp(bytes, { failOn: 'error' })
      .resize(KEPT_SIDE, KEPT_SIDE, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { pixels: data, width: info.width, height: info.height, channels: 4, format };
  } catch {
    throw new InputImageError('image_load_error', `The image at ${field} is corrupt or truncated and could not be decoded.`);
  }
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}

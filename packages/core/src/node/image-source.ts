import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { argumentProblem } from '../validation/check-arguments.js';
import { checkImage } from '../images/image-check.js';
import type { ImageHeader } from '../images/image-header.js';
import { bytesToDataUrl } from './data-url.js';
import { readImageFileHead } from './file-head.js';

/** Something that names or holds an input image. */
export type ImageSource = string | Uint8Array | ArrayBuffer | Blob;

export interface ImageUrlOptions {
  /**
   * Fit the image to the model before it is sent (default true): one larger than the model's
   * working size (about 1 MP) is downscaled, one with an EXIF orientation turned upright, and
   * re-encoded (JPEG, or WebP with alpha); one that fits already is sent as it is. `false`
   * sends every file as it is, and refuses one above 20 MB or 20 MP.
   */
  fit?: boolean;
}

const SOURCE_ALLOWED = 'a URL, a file path, bytes or a Blob';

/**
 * Turns an image into what `image_url` takes: an http(s) or data URL passes through; a file
 * path, bytes or a Blob become a data URL whose type is read from the bytes, fitted to the
 * model unless `fit: false`. HEIC, TIFF, BMP, SVG, PDF and other files are refused with an
 * InputError that says how to convert them.
 */
export async function toImageUrl(source: ImageSource, field: string = 'image_url', options: ImageUrlOptions = {}): Promise<string> {
  const fit = readFitOption(options, field);
  if (typeof field !== 'string' || field.trim() === '') {
    throw new InputError([argumentProblem('field', 'the name of the input, such as "image_url"', field)]);
  }
  if (typeof source === 'string') {
    if (/^(https?:|data:)/i.test(source)) return source;
    if (source.trim() === '' || source.includes('\0')) throw new InputError([argumentProblem(field, SOURCE_ALLOWED, source)]);
    return fileDataUrl(source, field, fit);
  }
  if (source instanceof Uint8Array) return imageDataUrl(source, field, { fit });
  if (source instanceof ArrayBuffer) return imageDataUrl(new Uint8Array(source), field, { fit });
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    return imageDataUrl(new Uint8Array(await source.arrayBuffer()), field, { fit });
  }
  throw new InputError([argumentProblem(field, SOURCE_ALLOWED, source)]);
}

/**
 * Turns several images into what `image_urls` takes (a multi-image model), in order; an error
 * names the one that failed, e.g. `image_urls[1]`.
 */
export async function toImageUrls(sources: readonly ImageSource[], field = 'image_urls', options: ImageUrlOptions = {}): Promise<string[]> {
  if (!Array.isArray(sources)) {
    throw new InputError([{ field, message: `${field} must be a list of URLs, file paths, bytes or Blobs` }]);
  }
  readFitOption(options, field);
  // One at a time: fitting decodes each image, and several decoded photos at once add up.
  const urls: string[] = [];
  for (const [index, source] of sources.entries()) urls.push(await toImageUrl(source, `${field}[${index}]`, options));
  return urls;
}

/**
 * Image bytes as the data URL to send: checked (type, and without fitting the 20 MB / 20 MP
 * limits), then fitted to the model when `fit` is on and the image is larger than the model
 * works at or rotated by EXIF. `shownAs` names the file in the error (default: `field`).
 */
export async function imageDataUrl(bytes: Uint8Array, field: string, { fit = true, shownAs = field }: { fit?: boolean; shownAs?: string } = {}): Promise<string> {
  const header = checkImage(bytes, field, { limits: !fit, shownAs, fitHint: FIT_HINT });
  return (fit && (await fittedDataUrl(bytes, header, bytes.length, field, shownAs))) || bytesToDataUrl(bytes, field);
}

const FIT_HINT = 'leave fitting on (the default) to send it at the size the model works at';

/**
 * A file as the data URL to send, checked from its header; a file to fit is handed to sharp
 * by its path, so a large photo is never read whole into memory (libvips streams it).
 */
async function fileDataUrl(path: string, field: string, fit: boolean): Promise<string> {
  const shownAs = `${field} (${path})`;
  const { head, size } = await readImageFileHead(path).catch((error: unknown) => {
    throw cannotRead(path, field, error);
  });
  const header = checkImage(head, field, { totalBytes: size, limits: !fit, shownAs, fitHint: FIT_HINT });
  return (fit && (await fittedDataUrl(path, header, size, field, shownAs))) || bytesToDataUrl(await readImageFile(path, field), field);
}

/** The fitted image's data URL when the image needs fitting (see fit-image.ts), else undefined. */
async function fittedDataUrl(input: Uint8Array | string, header: ImageHeader, byteLength: number, field: string, shownAs: string): Promise<string | undefined> {
  const { needsFitting, fitImage } = await import('./fit-image.js');
  if (!needsFitting(header, byteLength)) return undefined;
  return bytesToDataUrl(await fitImage(input, field, shownAs), field);
}

function readFitOption(options: ImageUrlOptions, field: string): boolean {
  const fit = (options as ImageUrlOptions | undefined)?.fit ?? true;
  if (typeof fit !== 'boolean') {
    throw new InputError([argumentProblem('fit', `true (fit ${field} to the model, the default) or false (send it as it is)`, fit)]);
  }
  return fit;
}

async function readImageFile(path: string, field: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw cannotRead(path, field, error);
  }
}

function cannotRead(path: string, field: string, error: unknown): InputError {
  const code = (error as { code?: string }).code ?? 'unreadable';
  return new InputError([{ field, message: `${field}: cannot read the file ${path} (${code})` }]);
}

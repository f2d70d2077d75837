import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { describeGot } from '../validation/check-arguments.js';
import { bytesToDataUrl } from './data-url.js';

/** Something that names or holds an input image. */
export type ImageSource = string | Uint8Array | ArrayBuffer | Blob;

/**
 * Turns an image into what `image_url` takes: an http(s) or data URL passes through; a file
 * path, bytes or a Blob become a data URL whose type is read from the bytes.
 */
export async function toImageUrl(source: ImageSource, field: string = 'image_url'): Promise<string> {
  if (typeof field !== 'string' || field.trim() === '') {
    throw new InputError([{ field: 'field', message: `field must be the name of the input, such as "image_url" (got ${describeGot(field)})` }]);
  }
  if (typeof source === 'string') {
    if (/^(https?:|data:)/i.test(source)) return source;
    if (source.trim() === '' || source.includes('\0')) {
      throw new InputError([{ field, message: `${field} must be a URL, a file path, bytes or a Blob (got ${describeGot(source)})` }]);
    }
    const bytes = await readImageFile(source, field);
    try {
      return bytesToDataUrl(bytes, `${field} (${source})`);
    } catch (error) {
      // The message names the file; the field stays the input's name.
      if (error instanceof InputError) throw new InputError(error.fieldErrors.map((problem) => ({ ...problem, field })));
      throw error;
    }
  }
  if (source instanceof Uint8Array) return bytesToDataUrl(source, field);
  if (source instanceof ArrayBuffer) return bytesToDataUrl(new Uint8Array(source), field);
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    return bytesToDataUrl(new Uint8Array(await source.arrayBuffer()), field);
  }
  throw new InputError([{ field, message: `${field} must be a URL, a file path, bytes or a Blob (got ${describeGot(source)})` }]);
}

/**
 * Turns several images into what `image_urls` takes (a multi-image model), in order; an error
 * names the one that failed, e.g. `image_urls[1]`.
 */
export async function toImageUrls(sources: readonly ImageSource[], field = 'image_urls'): Promise<string[]> {
  if (!Array.isArray(sources)) {
    throw new InputError([{ field, message: `${field} must be a list of URLs, file paths, bytes or Blobs` }]);
  }
  return Promise.all(sources.map((source, index) => toImageUrl(source, `${field}[${index}]`)));
}

async function readImageFile(path: string, field: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new InputError([{ field, message: `${field}: cannot read the file ${path} (${code})` }]);
  }
}

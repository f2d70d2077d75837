import { InputError } from '../errors.js';
import { encodeBase64 } from './base64.js';

/** An image type AnyAPI accepts as input. */
export interface ImageType {
  mime: 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif' | 'image/avif';
  extension: 'jpg' | 'png' | 'webp' | 'gif' | 'avif';
}

export const ACCEPTED_IMAGE_TYPES = 'jpg, png, webp, gif or avif';

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));

/** Reads an image's type from its first bytes; undefined for anything AnyAPI does not accept. */
export function detectImageType(bytes: Uint8Array): ImageType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return { mime: 'image/jpeg', extension: 'jpg' };
  }
  if (bytes.length >= 8 && ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return { mime: 'image/png', extension: 'png' };
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return { mime: 'image/gif', extension: 'gif' };
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    return { mime: 'image/webp', extension: 'webp' };
  }
  if (bytes.length >= 16 && hasBrand(bytes, /^avi[fs]$/)) return { mime: 'image/avif', extension: 'avif' };
  return undefined;
}

/** Whether an ISO media file's ftyp box lists a brand matching `brand` (AVIF: avif or avis). */
function hasBrand(bytes: Uint8Array, brand: RegExp): boolean {
  if (ascii(bytes, 4, 8) !== 'ftyp') return false;
  // The box lists a major brand and compatible brands.
  const boxSize = Math.min(bytes.length, ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0);
  for (let offset = 8; offset + 4 <= boxSize; offset += 4) {
    if (offset !== 12 && brand.test(ascii(bytes, offset, offset + 4))) return true; // 12: the minor version
  }
  return false;
}

/**
 * Black Forest Labs documents Kontext as taking at most 20 MB and 20 megapixels per input
 * image. A megabyte here is 2^20 bytes (what file managers show as MB), a megapixel 10^6 pixels.
 */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 20_000_000;

/** Formats people have that AnyAPI does not take, each with how to convert it. */
export type RefusedFormat = 'HEIC/HEIF' | 'TIFF' | 'BMP' | 'SVG' | 'PDF';

/** What is wrong with an image, in words a host puts after its own name for the input. */
export interface ImageProblem {
  kind: 'empty' | 'format' | 'bytes' | 'pixels';
  /** e.g. "is a HEIC/HEIF file, which AnyAPI does not take" (follows the input's name). */
  what: string;
  /** How to fix it, e.g. "convert it to JPEG first, e.g. `heif-convert photo.heic photo.jpg` (...)". */
  fix: string;
}

const ACCEPTED = 'AnyAPI takes JPEG, PNG, WebP, GIF or AVIF';
export const DOWNSCALE_FIX = 'downscale it first (the model works at about 1 MP)';

/**
 * What the first bytes (`head`, of a file `totalBytes` long) say is wrong before any pixel is
 * read: nothing there, a format AnyAPI does not take, or (with `limits`) more than 20 MB.
 * `conversions` says how to convert each refused format (image-check.ts has them; they are
 * left out of what `import '@anyapi-kontext/core'` loads, where a generic fix is given).
 */
export function formatProblem(
  head: Uint8Array,
  totalBytes = head.length,
  limits = true,
  conversions?: Record<RefusedFormat, string>,
): ImageProblem | undefined {
  if (totalBytes === 0) return { kind: 'empty', what: 'is empty (0 bytes)', fix: `${ACCEPTED} images` };
  if (!detectImageType(head)) {
    const refused = refusedFormat(head);
    if (refused) return { kind: 'format', what: `is a ${refused} file, which AnyAPI does not take`, fix: conversions?.[refused] ?? 'convert it to JPEG or PNG first' };
    const start = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return { kind: 'format', what: `is not an image AnyAPI takes (its bytes start ${start})`, fix: `${ACCEPTED}; convert it to one of them first` };
  }
  if (limits && totalBytes > MAX_IMAGE_BYTES) {
    return { kind: 'bytes', what: `is ${(totalBytes / 1024 / 1024).toFixed(1)} MB, above the 20 MB AnyAPI takes per image`, fix: DOWNSCALE_FIX };
  }
  return undefined;
}

/** Names a format AnyAPI does not take but people have (call it only when detectImageType found none). */
export function refusedFormat(b: Uint8Array): RefusedFormat | undefined {
  if (b.length >= 12 && hasBrand(b, /^(he[iv][cxms]|m[is]f[12])$/)) return 'HEIC/HEIF';
  const head = ascii(b, 0, 4);
  if (head === 'II*\0' || head === 'MM\0*') return 'TIFF';
  if (head.startsWith('BM') && b.length >= 26) return 'BMP';
  if (head === '%PDF') return 'PDF';
  // SVG is text: an XML declaration, comments or a doctype may come before the <svg element.
  const text = ascii(b, 0, 4096);
  if (/^(\xEF\xBB\xBF)?\s*</.test(text) && /<svg[\s>]/i.test(text)) return 'SVG';
  return undefined;
}

/**
 * Turns image bytes into the base64 data URL AnyAPI takes as `image_url`, as they are. The type
 * is read from the bytes, never trusted from a file name; anything but JPEG, PNG, WebP, GIF or
 * AVIF, and a file above 20 MB, is refused with an InputError naming `field` (an image above
 * 20 MP is refused by `run` and `submit`, which read its header before sending).
 */
export function bytesToDataUrl(bytes: Uint8Array, field = 'image'): string {
  return encodeBase64(bytes, dataUrlPrefix(bytes, field));
}

/** `data:<type>;base64,` for image bytes AnyAPI takes as they are; an InputError naming `field` otherwise. */
export function dataUrlPrefix(bytes: Uint8Array, field: string): string {
  const problem = formatProblem(bytes);
  if (problem) throw new InputError([{ field, message: `${field} ${problem.what}: ${problem.fix}` }]);
  return `data:${detectImageType(bytes)!.mime};base64,`;
}

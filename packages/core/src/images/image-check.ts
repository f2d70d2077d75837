import { InputError } from '../errors/lifecycle-errors.js';
import { encodeBase64 } from './base64.js';
import { readImageHeader, type ImageHeader, type RefusedFormat } from './image-header.js';

/**
 * Black Forest Labs documents Kontext as taking at most 20 MB and 20 megapixels per input
 * image. A megabyte here is 2^20 bytes (what file managers show as MB), a megapixel 10^6 pixels.
 */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 20_000_000;

/** What is wrong with an image, in words a host puts after its own name for the input. */
export interface ImageProblem {
  kind: 'empty' | 'format' | 'bytes' | 'pixels';
  /** e.g. "is a HEIC/HEIF image, which AnyAPI does not take" (follows the input's name). */
  what: string;
  /** How to fix it, e.g. "convert it to JPEG first: heif-convert photo.heic photo.jpg (...)". */
  fix: string;
}

const conversions: Record<RefusedFormat, string> = {
  'HEIC/HEIF':
    'convert it to JPEG first, e.g. `heif-convert photo.heic photo.jpg` (Debian/Ubuntu package libheif-examples), ' +
    '`sips -s format jpeg photo.heic --out photo.jpg` on a Mac, or set the iPhone to Settings > Camera > Formats > Most Compatible',
  TIFF: 'convert it to PNG or JPEG first, e.g. `convert scan.tif scan.png` (ImageMagick)',
  BMP: 'convert it to PNG first, e.g. `convert picture.bmp picture.png` (ImageMagick)',
  SVG: 'render it to PNG first, e.g. `rsvg-convert -o drawing.png drawing.svg` (librsvg) or `convert drawing.svg drawing.png` (ImageMagick)',
  PDF: 'render the page to PNG first, e.g. `pdftoppm -png -r 150 -singlefile document.pdf page` (poppler-utils)',
};

const accepted = 'AnyAPI takes JPEG, PNG, WebP, GIF or AVIF';
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const megapixels = (pixels: number) => `${(pixels / 1_000_000).toFixed(1)} MP`;

/**
 * The image's header, or what is wrong with it. `head` is the file or its beginning,
 * `totalBytes` its whole length. `limits: false` when the image is fitted to the model before
 * it is sent (then its size does not matter, only that it can be read).
 */
export function inspectImage(
  head: Uint8Array,
  { totalBytes = head.length, limits = true }: { totalBytes?: number; limits?: boolean } = {},
): { header: ImageHeader; problem?: undefined } | { header?: undefined; problem: ImageProblem } {
  if (totalBytes === 0) return { problem: { kind: 'empty', what: 'is empty (0 bytes)', fix: `${accepted} images` } };
  const read = readImageHeader(head);
  if ('refused' in read) {
    return { problem: { kind: 'format', what: `is a ${read.refused} file, which AnyAPI does not take`, fix: conversions[read.refused] } };
  }
  if ('unknown' in read) {
    const start = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return { problem: { kind: 'format', what: `is not an image AnyAPI takes (its bytes start ${start})`, fix: `${accepted}; convert it to one of them first` } };
  }
  const { header } = read;
  if (limits && totalBytes > MAX_IMAGE_BYTES) {
    return {
      problem: {
        kind: 'bytes',
        what: `is ${megabytes(totalBytes)}, above the 20 MB AnyAPI takes per image`,
        fix: 'downscale it first (the model works at about 1 MP, so nothing is lost)',
      },
    };
  }
  const pixels = (header.width ?? 0) * (header.height ?? 0);
  if (limits && pixels > MAX_IMAGE_PIXELS) {
    return {
      problem: {
        kind: 'pixels',
        what: `is ${header.width} x ${header.height} pixels (${megapixels(pixels)}), above the 20 MP AnyAPI takes per image`,
        fix: 'downscale it first (the model works at about 1 MP, so nothing is lost)',
      },
    };
  }
  return { header };
}

/**
 * `inspectImage` that throws: an InputError naming `field` (the input, e.g. `image_url`) and,
 * in its message, `shownAs` (the file or binary field the user knows), what the image is and
 * how to fix it. `fitHint` is added to a size problem when the host can fit images itself.
 */
export function checkImage(
  head: Uint8Array,
  field: string,
  options: { totalBytes?: number; limits?: boolean; shownAs?: string; fitHint?: string } = {},
): ImageHeader {
  const { header, problem } = inspectImage(head, options);
  if (header) return header;
  const fix = problem.kind === 'bytes' || problem.kind === 'pixels' ? `${options.fitHint ? `${options.fitHint}, or ` : ''}${problem.fix}` : problem.fix;
  throw new InputError([{ field, message: `${options.shownAs ?? field} ${problem.what}: ${fix}` }]);
}

/**
 * Turns image bytes into the base64 data URL AnyAPI takes as `image_url`, as they are. The type
 * is read from the bytes, never trusted from a file name; anything but JPEG, PNG, WebP, GIF or
 * AVIF, and an image above the limits, is refused with an InputError naming `field`.
 */
export function bytesToDataUrl(bytes: Uint8Array, field = 'image'): string {
  return dataUrlPrefix(bytes, field) + encodeBase64(bytes);
}

/** `data:<type>;base64,` for image bytes AnyAPI takes as they are; an InputError naming `field` otherwise. */
export function dataUrlPrefix(bytes: Uint8Array, field: string, shownAs?: string): string {
  return `data:${checkImage(bytes, field, shownAs === undefined ? {} : { shownAs }).type.mime};base64,`;
}

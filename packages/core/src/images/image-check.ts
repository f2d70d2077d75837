import { InputError } from '../errors.js';
import type { FieldError } from '../errors.js';
import { decodeBase64 } from './base64.js';
import { readImageHeader, type ImageHeader } from './image-header.js';
import { DOWNSCALE_FIX, formatProblem, MAX_IMAGE_PIXELS, type ImageProblem, type RefusedFormat } from './image-type.js';

/** How to convert each format people have that AnyAPI does not take. */
const conversions: Record<RefusedFormat, string> = {
  'HEIC/HEIF':
    'convert it to JPEG first, e.g. `heif-convert photo.heic photo.jpg` (Debian/Ubuntu package libheif-examples), ' +
    '`sips -s format jpeg photo.heic --out photo.jpg` on a Mac, or set the iPhone to Settings > Camera > Formats > Most Compatible',
  TIFF: 'convert it to PNG or JPEG first, e.g. `convert scan.tif scan.png` (ImageMagick)',
  BMP: 'convert it to PNG first, e.g. `convert picture.bmp picture.png` (ImageMagick)',
  SVG: 'render it to PNG first, e.g. `rsvg-convert -o drawing.png drawing.svg` (librsvg) or `convert drawing.svg drawing.png` (ImageMagick)',
  PDF: 'render the page to PNG first, e.g. `pdftoppm -png -r 150 -singlefile document.pdf page` (poppler-utils)',
};


/**
 * The image's header, or what is wrong with it: empty, a format AnyAPI does not take (named,
 * with how to convert it), or (with `limits`) above 20 MB or 20 MP. `head` is the file or its
 * beginning, `totalBytes` its whole length. `limits: false` when the image is fitted to the
 * model before it is sent (then its size does not matter, only that it can be read).
 */
export function inspectImage(
  head: Uint8Array,
  { totalBytes = head.length, limits = true }: { totalBytes?: number; limits?: boolean } = {},
): { header: ImageHeader; problem?: undefined } | { header?: undefined; problem: ImageProblem } {
  const problem = formatProblem(head, totalBytes, limits, conversions);
  if (problem) return { problem };
  const { header } = readImageHeader(head) as { header: ImageHeader };
  const pixels = (header.width ?? 0) * (header.height ?? 0);
  if (limits && pixels > MAX_IMAGE_PIXELS) {
    const mp = (pixels / 1_000_000).toFixed(1);
    return { problem: { kind: 'pixels', what: `is ${header.width} x ${header.height} pixels (${mp} MP), above the 20 MP AnyAPI takes per image`, fix: DOWNSCALE_FIX } };
  }
  return { header };
}

/**
 * `inspectImage` that throws: an InputError naming `field` (the input, e.g. `image_url`) and,
 * in its message, `shownAs` (the file or binary field the user knows), what the image is and
 * how to fix it. `fitHint` is offered first for a size problem when the host can fit images.
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

/** Base64 characters decoded to read a data URL's header: 256 KB of bytes holds any usual one. */
const HEAD_CHARS = 4 * 1024 * 64;

/**
 * The problems of the data URLs among `values` (an endpoint's image inputs, each named by its
 * field), from their headers: what `run` and `submit` check before sending, whoever built the
 * data URL. Only the header's characters are decoded. http(s) URLs are the server's to fetch.
 */
export function dataUrlImageErrors(values: [field: string, value: unknown][]): FieldError[] {
  const errors: FieldError[] = [];
  for (const [field, value] of values) {
    if (typeof value !== 'string' || !/^data:[^,]*;base64,/i.test(value.slice(0, 200))) continue;
    const start = value.indexOf(',') + 1;
    const chars = value.length - start;
    const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
    let head: Uint8Array;
    try {
      head = decodeBase64(value.slice(start, start + Math.min(chars - (chars % 4), HEAD_CHARS)));
    } catch {
      continue; // not base64: the schema and the server judge it
    }
    const { problem } = inspectImage(head, { totalBytes: (chars / 4) * 3 - padding });
    if (problem) errors.push({ field, message: `${field} ${problem.what}: ${problem.fix}` });
  }
  return errors;
}

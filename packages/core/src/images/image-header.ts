import { detectImageType, refusedFormat, type ImageType, type RefusedFormat } from './image-type.js';

/**
 * What an image's first bytes say about it, read without decoding it: its type, its pixel size
 * and its EXIF orientation. One reader for the core, the CLI and the n8n node (which bundles it,
 * so no decoder and no dependency: `sharp` cannot be bundled). The pixel size is undefined when
 * the header lies beyond the bytes given (a JPEG's size comes after its metadata segments).
 */
export interface ImageHeader {
  type: ImageType;
  width?: number;
  height?: number;
  /** EXIF orientation 1-8 (1 = upright, 6 = turn 90° clockwise to view); 1 when the file has none. */
  orientation: number;
}

export type ImageHeaderResult = { header: ImageHeader } | { refused: RefusedFormat } | { unknown: true };

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));
const be16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const le16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const be32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const le24 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const le32 = (b: Uint8Array, at: number) => (le24(b, at) | (b[at + 3]! << 24)) >>> 0;

/** Reads what the bytes are; `bytes` may be just the file's beginning (256 KB holds any usual header). */
export function readImageHeader(bytes: Uint8Array): ImageHeaderResult {
  const type = detectImageType(bytes);
  if (!type) {
    const refused = refusedFormat(bytes);
    return refused ? { refused } : { unknown: true };
  }
  const read = readers[type.extension](bytes);
  const header: ImageHeader = { type, orientation: read.orientation ?? 1 };
  if (read.width && read.height) Object.assign(header, { width: read.width, height: read.height });
  return { header };
}

interface Read {
  width?: number;
  height?: number;
  orientation?: number;
}

const readers: Record<ImageType['extension'], (bytes: Uint8Array) => Read> = {
  jpg: readJpeg,
  png: readPng,
  gif: (b) => (b.length >= 10 ? { width: le16(b, 6), height: le16(b, 8) } : {}),
  webp: readWebp,
  avif: readAvif,
};

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic); not DHT (C4), JPG (C8), DAC (CC). */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function readJpeg(b: Uint8Array): Read {
  const read: Read = {};
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return read;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return read; // end of image, start of scan: no frame header after this
    const length = be16(b, at + 2);
    if (marker === 0xe1 && ascii(b, at + 4, at + 10) === 'Exif\0\0' && read.orientation === undefined) {
      read.orientation = exifOrientation(b.subarray(at + 10, at + 2 + length));
    }
    if (isStartOfFrame(marker) && at + 9 <= b.length) {
      read.height = be16(b, at + 5);
      read.width = be16(b, at + 7);
      return read;
    }
    at += 2 + length;
  }
  return read;
}

function readPng(b: Uint8Array): Read {
  if (b.length < 24 || ascii(b, 12, 16) !== 'IHDR') return {};
  const read: Read = { width: be32(b, 16), height: be32(b, 20) };
  // An eXIf chunk comes before the image data when a writer puts one in.
  for (let at = 8; at + 8 <= b.length; ) {
    const length = be32(b, at);
    const kind = ascii(b, at + 4, at + 8);
    if (kind === 'IDAT' || kind === 'IEND') break;
    if (kind === 'eXIf') read.orientation = exifOrientation(b.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return read;
}

function readWebp(b: Uint8Array): Read {
  const read: Read = {};
  for (let at = 12; at + 8 <= b.length; ) {
    const kind = ascii(b, at, at + 4);
    const length = le32(b, at + 4);
    const data = at + 8;
    if (kind === 'VP8X' && data + 10 <= b.length) {
      read.width = 1 + le24(b, data + 4);
      read.height = 1 + le24(b, data + 7);
    } else if (kind === 'VP8 ' && data + 10 <= b.length && read.width === undefined) {
      read.width = le16(b, data + 6) & 0x3fff;
      read.height = le16(b, data + 8) & 0x3fff;
    } else if (kind === 'VP8L' && data + 5 <= b.length && read.width === undefined) {
      const [b1, b2, b3, b4] = [b[data + 1]!, b[data + 2]!, b[data + 3]!, b[data + 4]!];
      read.width = 1 + (((b2 & 0x3f) << 8) | b1);
      read.height = 1 + (((b4 & 0x0f) << 10) | (b3 << 2) | ((b2 & 0xc0) >> 6));
    } else if (kind === 'EXIF') {
      const exif = b.subarray(data, data + length);
      read.orientation = exifOrientation(ascii(exif, 0, 6) === 'Exif\0\0' ? exif.subarray(6) : exif);
    }
    at = data + length + (length % 2); // chunks are padded to an even length
  }
  return read;
}

/**
 * AVIF keeps the size in an `ispe` box inside `meta`; a grid image or one with an alpha or
 * thumbnail item has several, and the largest is the image's. (Its rotation, `irot`, is not
 * read: fitting turns it upright by decoding, and the limits do not depend on it.)
 */
function readAvif(b: Uint8Array): Read {
  const read: Read = {};
  for (let at = b.indexOf(0x69); at !== -1 && at + 16 <= b.length; at = b.indexOf(0x69, at + 1)) {
    if (ascii(b, at, at + 4) !== 'ispe') continue;
    const width = be32(b, at + 8);
    const height = be32(b, at + 12);
    if (width * height > (read.width ?? 0) * (read.height ?? 0)) Object.assign(read, { width, height });
  }
  return read;
}

/** The Orientation tag (0x0112) of IFD0 in a TIFF-structured EXIF block; undefined if absent. */
function exifOrientation(tiff: Uint8Array): number | undefined {
  if (tiff.length < 8) return undefined;
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const u16 = order === 'II' ? le16 : be16;
  const u32 = order === 'II' ? le32 : be32;
  const ifd = u32(tiff, 4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(tiff, ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(tiff, entry) === 0x0112) {
      const value = u16(tiff, entry + 8);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

// A large PNG downscaled while it is read, one row at a time.
//
// Why not sharp: libvips reads a PNG line by line too, but its resize keeps hundreds of
// full-width lines in the line caches between its stages (32 MB of pixel buffers for a
// 6000-pixel-wide scan, whichever kernel; bench/README.md, "Photos"), above issue 19's memory
// target (3.1x the file). Averaging each output pixel's area as the rows arrive needs two rows
// of sums. Area averaging (OpenCV's INTER_AREA) is the usual filter for large reductions: no
// aliasing, a little softer than libvips' lanczos3, which the model, working at about 1 MP,
// does not see.
//
// The file is read in 64 KB pieces into one buffer and inflated into one 64 KB window
// (inflate.ts says why not node:zlib), so nothing is allocated per row or per piece.
//
// Only what is common and simple is read here: 8- and 16-bit grey, grey with alpha, RGB and
// RGBA, and 8-bit palettes (with their transparency), not interlaced, with no ICC profile.
// Anything else (Adam7 interlacing, 1-4 bit samples, a transparent colour key, an embedded
// profile that libvips would convert from) answers `undefined` and is left to sharp.
import { open } from 'node:fs/promises';
import { Inflater } from './inflate.js';

export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

interface PngLayout {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
  palette?: Uint8Array;
  paletteAlpha?: Uint8Array;
  colourKey: boolean;
  iccProfile: boolean;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Chunks whose body is kept (all are small); every other body is skipped as it streams past. */
const KEPT = new Set(['IHDR', 'PLTE', 'tRNS']);
/** Samples per pixel in the file, by PNG colour type. */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const PIECE = 64 * 1024;

class NotForUs extends Error {}

/**
 * The PNG (a file's path, or its bytes) downscaled to `width` x `height` by area averaging
 * (colour weighted by alpha); `undefined` for a PNG this reader leaves to sharp (see above).
 * Throws for a damaged PNG.
 */
export async function downscalePng(input: string | Uint8Array, width: number, height: number): Promise<RawImage | undefined> {
  const reader = new PngStreamReader(width, height);
  try {
    if (typeof input === 'string') {
      const file = await open(input, 'r');
      try {
        const piece = new Uint8Array(PIECE);
        while (!reader.done) {
          const { bytesRead } = await file.read(piece, 0, PIECE, null);
          if (bytesRead === 0) break;
          reader.push(piece.subarray(0, bytesRead));
        }
      } finally {
        await file.close();
      }
    } else {
      for (let at = 0; at < input.length && !reader.done; at += PIECE) reader.push(input.subarray(at, at + PIECE));
    }
    return reader.finish();
  } catch (error) {
    if (error instanceof NotForUs) return undefined;
    throw error;
  }
}

class PngStreamReader {
  done = false;
  private state: 'signature' | 'head' | 'body' | 'crc' = 'signature';
  private head = new Uint8Array(8);
  private headFilled = 0;
  private type = '';
  private left = 0;
  private kept?: Uint8Array;
  private keptFilled = 0;
  private layout?: Partial<PngLayout>;
  private inflater?: Inflater;
  private rows?: RowDecoder;

  constructor(
    private readonly outWidth: number,
    private readonly outHeight: number,
  ) {}

  push(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length && !this.done) {
      if (this.state === 'signature' || this.state === 'head' || this.state === 'crc') {
        const need = this.state === 'crc' ? 4 : 8;
        const take = Math.min(need - this.headFilled, bytes.length - at);
        this.head.set(bytes.subarray(at, at + take), this.headFilled);
        this.headFilled += take;
        at += take;
        if (this.headFilled < need) continue;
        this.headFilled = 0;
        if (this.state === 'signature') {
          if (!SIGNATURE.every((byte, i) => this.head[i] === byte)) throw new Error('not a PNG signature');
          this.state = 'head';
        } else if (this.state === 'crc') {
          this.state = 'head';
        } else {
          this.startChunk();
        }
        continue;
      }
      const take = Math.min(this.left, bytes.length - at);
      const part = bytes.subarray(at, at + take);
      at += take;
      this.left -= take;
      if (this.type === 'IDAT') this.inflater!.push(part);
      else if (this.kept) {
        this.kept.set(part, this.keptFilled);
        this.keptFilled += take;
      }
      if (this.left === 0) this.endChunk();
    }
  }

  private startChunk(): void {
    const view = new DataView(this.head.buffer);
    this.left = view.getUint32(0);
    this.type = String.fromCharCode(...this.head.subarray(4, 8));
    // IHDR is 13 bytes, PLTE at most 768 and tRNS 256: a larger one is damage, not something to allocate.
    if (KEPT.has(this.type) && this.left > 1024) throw new Error(`the image is damaged (a ${this.left}-byte ${this.type} chunk)`);
    this.kept = KEPT.has(this.type) ? new Uint8Array(this.left) : undefined;
    this.keptFilled = 0;
    if (this.type === 'iCCP') (this.layout ??= {}).iccProfile = true;
    if (this.type === 'IDAT' && !this.inflater) this.startImage();
    if (this.type === 'IEND') this.done = true;
    this.state = 'body';
    if (this.left === 0) this.endChunk();
  }

  private endChunk(): void {
    const body = this.kept;
    const layout = (this.layout ??= {});
    if (this.type === 'IHDR' && body && body.length >= 13) {
      const view = new DataView(body.buffer, body.byteOffset);
      Object.assign(layout, { width: view.getUint32(0), height: view.getUint32(4), bitDepth: body[8], colorType: body[9], interlaced: body[12] !== 0 });
    } else if (this.type === 'PLTE') layout.palette = body;
    else if (this.type === 'tRNS') {
      if (layout.colorType === 3) layout.paletteAlpha = body;
      else layout.colourKey = true;
    }
    this.kept = undefined;
    this.state = 'crc';
  }

  /** At the first IDAT: everything that says how to read the pixels has been seen. */
  private startImage(): void {
    const layout = this.layout ?? {};
    const { width, height, bitDepth, colorType } = layout;
    if (!width || !height || bitDepth === undefined || colorType === undefined) throw new Error('no IHDR before the image data');
    const samples = SAMPLES[colorType];
    const readable = samples !== undefined && (colorType === 3 ? bitDepth === 8 && layout.palette !== undefined : bitDepth === 8 || bitDepth === 16);
    if (!readable || layout.interlaced || layout.colourKey || layout.iccProfile) throw new NotForUs();
    const channels = colorType === 3 ? (layout.paletteAlpha ? 4 : 3) : (samples as RawImage['channels']);
    const area = new AreaDownscaler(width, height, this.outWidth, this.outHeight, channels);
    this.rows = new RowDecoder(layout as PngLayout, samples * (bitDepth / 8), channels, area);
    const rows = this.rows;
    this.inflater = new Inflater((bytes) => rows.push(bytes));
  }

  finish(): RawImage {
    if (!this.inflater || !this.rows) throw new Error('no image data');
    this.inflater.end();
    return this.rows.finish();
  }
}

/**
 * Filtered scanlines in, rows of 8-bit channels out: each scanline is unfiltered in place (PNG's
 * five filters; the previous one is kept for them), then palette entries are looked up and
 * 16-bit samples cut to their high byte (what libvips keeps when it casts 16 bits to 8).
 */
class RowDecoder {
  private readonly stride: number;
  private current: Uint8Array;
  private previous: Uint8Array;
  private filled = 0;
  private row = 0;
  /** One row as 8-bit channels, when the scanline is not that already. */
  private readonly expanded?: Uint8Array;

  constructor(
    private readonly layout: PngLayout,
    private readonly bytesPerPixel: number,
    private readonly channels: number,
    private readonly area: AreaDownscaler,
  ) {
    this.stride = layout.width * bytesPerPixel;
    this.current = new Uint8Array(this.stride + 1);
    this.previous = new Uint8Array(this.stride + 1);
    if (layout.colorType === 3 || layout.bitDepth === 16) this.expanded = new Uint8Array(layout.width * channels);
  }

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && this.row < this.layout.height) {
      const take = Math.min(this.stride + 1 - this.filled, chunk.length - at);
      this.current.set(chunk.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled <= this.stride) continue;
      this.unfilter();
      this.area.addRow(this.channelsOf(this.current));
      [this.previous, this.current] = [this.current, this.previous];
      this.filled = 0;
      this.row += 1;
    }
  }

  /** PNG's filters (None, Sub, Up, Average, Paeth), undone in place; byte 0 is the filter type. */
  private unfilter(): void {
    const row = this.current;
    const prior = this.row === 0 ? undefined : this.previous;
    const bpp = this.bytesPerPixel;
    const end = this.stride + 1;
    switch (row[0]!) {
      case 0:
        return;
      case 1:
        for (let i = 1 + bpp; i < end; i++) row[i] = (row[i]! + row[i - bpp]!) & 255;
        return;
      case 2:
        if (prior) for (let i = 1; i < end; i++) row[i] = (row[i]! + prior[i]!) & 255;
        return;
      case 3:
        for (let i = 1; i < end; i++) {
          const left = i > bpp ? row[i - bpp]! : 0;
          const up = prior ? prior[i]! : 0;
          row[i] = (row[i]! + ((left + up) >> 1)) & 255;
        }
        return;
      case 4:
        for (let i = 1; i < end; i++) {
          const left = i > bpp ? row[i - bpp]! : 0;
          const up = prior ? prior[i]! : 0;
          const upLeft = i > bpp && prior ? prior[i - bpp]! : 0;
          const toLeft = Math.abs(up - upLeft);
          const toUp = Math.abs(left - upLeft);
          const toUpLeft = Math.abs(left + up - 2 * upLeft);
          row[i] = (row[i]! + (toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft)) & 255;
        }
        return;
      default:
        throw new Error(`unknown PNG filter ${row[0]} in row ${this.row}`);
    }
  }

  private channelsOf(scanline: Uint8Array): Uint8Array {
    const { expanded, channels } = this;
    if (!expanded) return scanline.subarray(1);
    const { width, palette, paletteAlpha } = this.layout;
    if (palette) {
      for (let x = 0, at = 0; x < width; x++) {
        const entry = scanline[1 + x]!;
        expanded[at++] = palette[entry * 3]!;
        expanded[at++] = palette[entry * 3 + 1]!;
        expanded[at++] = palette[entry * 3 + 2]!;
        if (channels === 4) expanded[at++] = paletteAlpha && entry < paletteAlpha.length ? paletteAlpha[entry]! : 255;
      }
    } else {
      for (let i = 0; i < expanded.length; i++) expanded[i] = scanline[1 + i * 2]!;
    }
    return expanded;
  }

  finish(): RawImage {
    if (this.row < this.layout.height) throw new Error(`the image data ends after ${this.row} of ${this.layout.height} rows`);
    return this.area.result();
  }
}

/**
 * Area averaging, a row at a time: every output pixel is the mean of the input area it covers
 * (fractions of pixels at its edges), colour weighted by alpha. A row is summed per output
 * column (`columnSums`: the whole pixels of the column's span, then its partial edge pixels),
 * then spread over the one or two output rows it covers (`rowSums` and `nextRowSums`); an
 * output row is written once its last input row is in.
 */
class AreaDownscaler {
  private readonly scaleX: number;
  private readonly scaleY: number;
  /** Per output column: its whole input pixels [from, to) and the parts of the pixels at its edges. */
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly leftPart: Float64Array;
  private readonly rightPart: Float64Array;
  private readonly columnSums: Float64Array;
  private rowSums: Float64Array;
  private nextRowSums: Float64Array;
  private readonly out: Uint8Array;
  private readonly hasAlpha: boolean;
  private row = 0;
  private outRow = 0;

  constructor(
    private readonly inWidth: number,
    private readonly inHeight: number,
    private readonly outWidth: number,
    private readonly outHeight: number,
    private readonly channels: RawImage['channels'],
  ) {
    this.scaleX = inWidth / outWidth;
    this.scaleY = inHeight / outHeight;
    this.hasAlpha = channels === 2 || channels === 4;
    this.from = new Int32Array(outWidth);
    this.to = new Int32Array(outWidth);
    this.leftPart = new Float64Array(outWidth);
    this.rightPart = new Float64Array(outWidth);
    for (let column = 0; column < outWidth; column++) {
      const start = column * this.scaleX;
      const end = Math.min(inWidth, (column + 1) * this.scaleX);
      this.from[column] = Math.ceil(start - 1e-9);
      this.to[column] = Math.max(this.from[column]!, Math.floor(end + 1e-9));
      this.leftPart[column] = this.from[column]! - start > 1e-9 ? this.from[column]! - start : 0;
      this.rightPart[column] = end - this.to[column]! > 1e-9 ? end - this.to[column]! : 0;
    }
    this.columnSums = new Float64Array(outWidth * channels);
    this.rowSums = new Float64Array(outWidth * channels);
    this.nextRowSums = new Float64Array(outWidth * channels);
    this.out = new Uint8Array(outWidth * outHeight * channels);
  }

  addRow(pixels: Uint8Array): void {
    const { channels, hasAlpha, from, to, leftPart, rightPart, columnSums, outWidth } = this;
    const colours = hasAlpha ? channels - 1 : channels;
    for (let column = 0, base = 0; column < outWidth; column++, base += channels) {
      const first = from[column]! * channels;
      const last = to[column]! * channels;
      const left = leftPart[column]!;
      const right = rightPart[column]!;
      if (!hasAlpha) {
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let at = first + c; at < last; at += channels) sum += pixels[at]!;
          if (left > 0) sum += pixels[first - channels + c]! * left;
          if (right > 0) sum += pixels[last + c]! * right;
          columnSums[base + c] = sum;
        }
        continue;
      }
      let alphaSum = 0;
      for (let at = first + colours; at < last; at += channels) alphaSum += pixels[at]!;
      if (left > 0) alphaSum += pixels[first - 1]! * left;
      if (right > 0) alphaSum += pixels[last + colours]! * right;
      columnSums[base + colours] = alphaSum;
      for (let c = 0; c < colours; c++) {
        let sum = 0;
        for (let at = first + c; at < last; at += channels) sum += pixels[at]! * pixels[at + colours - c]!;
        if (left > 0) sum += pixels[first - channels + c]! * pixels[first - 1]! * left;
        if (right > 0) sum += pixels[last + c]! * pixels[last + colours]! * right;
        columnSums[base + c] = sum;
      }
    }
    const rowEnd = (this.outRow + 1) * this.scaleY;
    const part = Math.min(1, rowEnd - this.row);
    const { rowSums, nextRowSums } = this;
    if (part >= 1) {
      for (let i = 0; i < rowSums.length; i++) rowSums[i]! += columnSums[i]!;
    } else {
      for (let i = 0; i < rowSums.length; i++) {
        const sum = columnSums[i]!;
        rowSums[i]! += sum * part;
        nextRowSums[i]! += sum * (1 - part);
      }
    }
    this.row += 1;
    if (this.row >= rowEnd - 1e-9 || this.row === this.inHeight) this.writeRow();
  }

  private writeRow(): void {
    if (this.outRow >= this.outHeight) return;
    const { channels, hasAlpha, rowSums, out, outWidth } = this;
    const area = this.scaleX * this.scaleY;
    const colours = hasAlpha ? channels - 1 : channels;
    let at = this.outRow * outWidth * channels;
    for (let i = 0; i < rowSums.length; i += channels) {
      const alpha = hasAlpha ? rowSums[i + colours]! : area;
      for (let c = 0; c < colours; c++) out[at++] = alpha === 0 ? 0 : Math.min(255, Math.round(rowSums[i + c]! / alpha));
      if (hasAlpha) out[at++] = Math.min(255, Math.round(alpha / area));
    }
    this.rowSums = this.nextRowSums;
    this.nextRowSums = rowSums.fill(0);
    this.outRow += 1;
  }

  result(): RawImage {
    return { data: this.out, width: this.outWidth, height: this.outHeight, channels: this.channels };
  }
}

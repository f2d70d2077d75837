import sharp from 'sharp';
import type { DecodedImage } from './decoded-image.js';
import { createRandomSource } from '../random.js';
import { GLYPH_HEIGHT, textToSvgRects, textWidth } from './pixel-font.js';

export type OutputFormat = 'jpeg' | 'png';

export interface EditRequest {
  source: DecodedImage;
  width: number;
  height: number;
  format: OutputFormat;
  seed: number;
  /** Which of the job's images (0-based); each one looks different. */
  index: number;
}

export interface EditedImage {
  bytes: Buffer;
  width: number;
  height: number;
  contentType: string;
  extension: string;
}

const FORMATS: Record<OutputFormat, { contentType: string; extension: string }> = {
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  png: { contentType: 'image/png', extension: 'png' },
};

/**
 * Stands in for the model: a colour shift a person notices at a glance, plus a band stamped
 * "KONTEXT EDIT n" along the bottom. Both depend only on (seed, index), so a given seed
 * always gives the same bytes, and every image of a job differs from its siblings.
 */
export async function editImage(request: EditRequest): Promise<EditedImage> {
  const { source, width, height, format, seed, index } = request;
  const look = lookFor(seed, index);
  // The colour edit is done at the smaller of the source's and the output's size, then brought
  // to the output's: a 64 px test input costs a 64 px edit, not a 1 MP one (the mix and offset
  // work in floating point, about 80 ms a megapixel on a busy machine).
  const scale = Math.min(1, Math.sqrt((source.width * source.height) / (width * height)));
  const work = { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  const edited = await sharp(source.pixels, { raw: { width: source.width, height: source.height, channels: source.channels } })
    .resize(work.width, work.height, { fit: 'cover' })
    // Transparent areas become white, as they would print; the output has no alpha.
    .flatten({ background: '#ffffff' })
    // Mixing channels and adding an offset tints even a grey picture, which a hue turn cannot.
    .recomb(look.channelMix)
    .linear([1, 1, 1], look.offset)
    .raw()
    .toBuffer({ resolveWithObject: true });
  let base = sharp(edited.data, { raw: { width: edited.info.width, height: edited.info.height, channels: edited.info.channels } });
  if (edited.info.width !== width || edited.info.height !== height) base = base.resize(width, height, { fit: 'fill', kernel: 'linear' });
  const pixels = await base.removeAlpha().raw().toBuffer();
  await paintStamp(pixels, width, height, look.bandHue, `KONTEXT EDIT ${index + 1}`);
  const output = sharp(pixels, { raw: { width, height, channels: 3 } });
  const bytes = await (format === 'png' ? output.png() : output.jpeg({ quality: 90 })).toBuffer();
  return { bytes, width, height, ...FORMATS[format] };
}

interface Look {
  channelMix: [[number, number, number], [number, number, number], [number, number, number]];
  offset: [number, number, number];
  /** The hue of the frame and band (saturation 80%, lightness 35%). */
  bandHue: number;
}

function lookFor(seed: number, index: number): Look {
  const { next: unit } = createRandomSource((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  // Keep most of each channel so the picture stays recognisable, and bleed the rest into the next one.
  const keep = 0.65 + unit() * 0.15;
  const bleed = 1 - keep;
  const rotation = index % 2 === 0 ? [1, 2, 0] : [2, 0, 1];
  const row = (channel: number): [number, number, number] => {
    const weights: [number, number, number] = [0, 0, 0];
    weights[channel] = keep;
    weights[rotation[channel] ?? 0] = bleed;
    return weights;
  };
  const offset = (): number => Math.round(unit() * 80 - 25);
  const hue = Math.round((index * 97 + unit() * 60) % 360);
  return {
    channelMix: [row(0), row(1), row(2)],
    offset: [offset() + 20, offset(), offset() - 10],
    bandHue: hue,
  };
}

/** Where the stamp goes: a frame `frame` px wide and a band `bandHeight` high along the bottom. */
function stampGeometry(width: number, height: number): { frame: number; bandHeight: number } {
  return {
    frame: Math.max(1, Math.round(Math.min(width, height) * 0.01)),
    bandHeight: Math.max(4, Math.min(height, Math.round(height * 0.16))),
  };
}

/** `label` in white pixel-font rectangles, centred in a band of `width` x `bandHeight` whose top is `top`. */
function labelSvg(label: string, width: number, bandHeight: number, top: number): string {
  let scale = Math.floor((bandHeight * 0.6) / GLYPH_HEIGHT);
  while (scale > 0 && textWidth(label, scale) > width * 0.9) scale -= 1;
  if (scale <= 0) return '';
  const left = Math.round((width - textWidth(label, scale)) / 2);
  return textToSvgRects(label, left, top + Math.round((bandHeight - GLYPH_HEIGHT * scale) / 2), scale, '#ffffff');
}

/**
 * The frame and the band stamped with `label` as SVG elements, for a picture that is drawn as
 * SVG anyway (text to image).
 */
export function stampSvgElements(width: number, height: number, hue: number, label: string): string {
  const { frame, bandHeight } = stampGeometry(width, height);
  const colour = `hsl(${hue}, 80%, 35%)`;
  const bandTop = height - bandHeight;
  return (
    `<rect x="${frame / 2}" y="${frame / 2}" width="${width - frame}" height="${height - frame}" fill="none" stroke="${colour}" stroke-width="${frame}"/>` +
    `<rect x="0" y="${bandTop}" width="${width}" height="${bandHeight}" fill="${colour}" fill-opacity="0.85"/>` +
    labelSvg(label, width, bandHeight, bandTop)
  );
}

/**
 * Paints the frame and the band stamped with `label` into raw RGB `pixels`, in place. The frame
 * is filled here; the band (85% opaque, with its label) is blended by sharp over its own strip
 * only: a layer the size of the image cost about as much to blend at 1 MP as the rest of the
 * edit, CPU taken from the clients under test.
 */
async function paintStamp(pixels: Buffer, width: number, height: number, hue: number, label: string): Promise<void> {
  const { frame, bandHeight } = stampGeometry(width, height);
  const [red, green, blue] = hslToRgb(hue, 0.8, 0.35);
  const fill = (left: number, top: number, w: number, h: number): void => {
    for (let y = top; y < top + h; y += 1) {
      for (let x = left; x < left + w; x += 1) {
        const offset = (y * width + x) * 3;
        pixels[offset] = red;
        pixels[offset + 1] = green;
        pixels[offset + 2] = blue;
      }
    }
  };
  fill(0, 0, width, frame);
  fill(0, height - frame, width, frame);
  fill(0, 0, frame, height);
  fill(width - frame, 0, frame, height);
  const bandTop = height - bandHeight;
  const band = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${bandHeight}">` +
      `<rect width="${width}" height="${bandHeight}" fill="rgb(${red},${green},${blue})" fill-opacity="0.85"/>` +
      labelSvg(label, width, bandHeight, 0) +
      `</svg>`,
  );
  const strip = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .extract({ left: 0, top: bandTop, width, height: bandHeight })
    .composite([{ input: band, top: 0, left: 0 }])
    .removeAlpha()
    .raw()
    .toBuffer();
  strip.copy(pixels, bandTop * width * 3);
}

/** HSL (hue in degrees, saturation and lightness 0..1) to 8-bit RGB. */
function hslToRgb(hue: number, saturation: number, lightness: number): [number, number, number] {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (n: number): number => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lightness - chroma / 2 * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

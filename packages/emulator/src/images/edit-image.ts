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
  let pipeline = sharp(source.pixels, { raw: { width: source.width, height: source.height, channels: source.channels } })
    .resize(width, height, { fit: 'cover' })
    // Transparent areas become white, as they would print; the output has no alpha.
    .flatten({ background: '#ffffff' })
    // Mixing channels and adding an offset tints even a grey picture, which a hue turn cannot.
    .recomb(look.channelMix)
    .linear([1, 1, 1], look.offset)
    .composite([{ input: Buffer.from(stampSvg(width, height, look.bandColour, `KONTEXT EDIT ${index + 1}`)), top: 0, left: 0 }]);
  pipeline = format === 'png' ? pipeline.png() : pipeline.jpeg({ quality: 90 });
  const bytes = await pipeline.toBuffer();
  return { bytes, width, height, ...FORMATS[format] };
}

interface Look {
  channelMix: [[number, number, number], [number, number, number], [number, number, number]];
  offset: [number, number, number];
  bandColour: string;
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
    bandColour: `hsl(${hue}, 80%, 35%)`,
  };
}

/** A frame and a band along the bottom stamped with `label`, as an SVG the size of the image. */
export function stampSvg(width: number, height: number, bandColour: string, label: string): string {
  const bandHeight = Math.max(4, Math.round(height * 0.16));
  const bandTop = height - bandHeight;
  let scale = Math.floor((bandHeight * 0.6) / GLYPH_HEIGHT);
  while (scale > 0 && textWidth(label, scale) > width * 0.9) scale -= 1;
  const text =
    scale > 0
      ? textToSvgRects(
          label,
          Math.round((width - textWidth(label, scale)) / 2),
          bandTop + Math.round((bandHeight - GLYPH_HEIGHT * scale) / 2),
          scale,
          '#ffffff',
        )
      : '';
  const frame = Math.max(1, Math.round(Math.min(width, height) * 0.01));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect x="${frame / 2}" y="${frame / 2}" width="${width - frame}" height="${height - frame}" fill="none" stroke="${bandColour}" stroke-width="${frame}"/>` +
    `<rect x="0" y="${bandTop}" width="${width}" height="${bandHeight}" fill="${bandColour}" fill-opacity="0.85"/>` +
    text +
    `</svg>`
  );
}

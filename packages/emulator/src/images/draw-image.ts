import sharp from 'sharp';
import { createRandomSource } from '../random.js';
import { stampSvgElements, type EditedImage, type OutputFormat } from './edit-image.js';
import { GLYPH_HEIGHT, textToSvgRects, textWidth } from './pixel-font.js';

export interface DrawRequest {
  prompt: string;
  width: number;
  height: number;
  format: OutputFormat;
  seed: number;
  /** Which of the job's images (0-based); each one looks different. */
  index: number;
}

const FORMATS: Record<OutputFormat, { contentType: string; extension: string }> = {
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  png: { contentType: 'image/png', extension: 'png' },
};

/** How many characters a line of the prompt holds at most, so the text stays readable. */
const CHARACTERS_PER_LINE = 24;

/**
 * Stands in for a text-to-image model: a picture made from nothing (a gradient sky and a few
 * discs, chosen by seed and index) with the prompt written across it in the pixel font, and
 * the band stamped "KONTEXT DRAW n". The same seed and prompt always give the same bytes.
 */
export async function drawImage(request: DrawRequest): Promise<EditedImage> {
  const { prompt, width, height, format, seed, index } = request;
  const { next: unit } = createRandomSource((seed ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
  const hue = Math.round(unit() * 360);
  const discs = Array.from({ length: 3 }, (_, disc) => {
    const radius = Math.round(Math.min(width, height) * (0.08 + unit() * 0.12));
    const x = Math.round(unit() * width);
    const y = Math.round(unit() * height * 0.7);
    return `<circle cx="${x}" cy="${y}" r="${radius}" fill="hsl(${(hue + 120 * (disc + 1)) % 360}, 70%, 60%)" fill-opacity="0.8"/>`;
  }).join('');
  const background =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">` +
    `<stop offset="0" stop-color="hsl(${hue}, 65%, 70%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360}, 55%, 30%)"/>` +
    `</linearGradient></defs>` +
    `<rect width="${width}" height="${height}" fill="url(#sky)"/>` +
    discs +
    promptSvg(prompt, width, height) +
    // The stamp is drawn in the same SVG: blending it on afterwards cost as much again at 1 MP.
    stampSvgElements(width, height, hue, `KONTEXT DRAW ${index + 1}`) +
    `</svg>`;
  let pipeline = sharp(Buffer.from(background)).flatten({ background: '#ffffff' });
  pipeline = format === 'png' ? pipeline.png() : pipeline.jpeg({ quality: 90 });
  const bytes = await pipeline.toBuffer();
  return { bytes, width, height, ...FORMATS[format] };
}

/** The prompt, upper-cased and wrapped, on a dark panel above the band. */
function promptSvg(prompt: string, width: number, height: number): string {
  const scale = Math.max(1, Math.floor((width * 0.85) / (CHARACTERS_PER_LINE * 6)));
  const lineHeight = (GLYPH_HEIGHT + 3) * scale;
  const maxLines = Math.max(1, Math.floor((height * 0.6) / lineHeight));
  const lines = wrapText(prompt, Math.max(4, Math.floor((width * 0.9) / (6 * scale))), maxLines);
  if (lines.length === 0) return '';
  const panelHeight = lines.length * lineHeight + 2 * scale;
  const top = Math.round((height * 0.84 - panelHeight) / 2);
  const text = lines
    .map((line, row) =>
      textToSvgRects(line, Math.round((width - textWidth(line, scale)) / 2), top + 2 * scale + row * lineHeight, scale, '#ffffff'),
    )
    .join('');
  return `<rect x="0" y="${top}" width="${width}" height="${panelHeight}" fill="#000000" fill-opacity="0.45"/>${text}`;
}

/** Words into lines of at most `width` characters; what does not fit ends in "...". */
export function wrapText(text: string, width: number, maxLines: number): string[] {
  const words = text.toUpperCase().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words.flatMap((w) => w.match(new RegExp(`.{1,${width}}`, 'g')) ?? [])) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1] ?? '';
  kept[maxLines - 1] = `${last.slice(0, Math.max(0, width - 3))}...`;
  return kept;
}

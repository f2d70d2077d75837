import sharp from 'sharp';
import type { DecodedImage } from './decoded-image.js';

/**
 * Stands in for a multi-image model reading its inputs: the images side by side, in order,
 * each scaled to the first one's height, as one picture the edit then works on.
 */
export async function composeSideBySide(images: readonly DecodedImage[]): Promise<DecodedImage> {
  const [first] = images;
  if (!first) throw new Error('composeSideBySide needs at least one image');
  if (images.length === 1) return first;
  const height = first.height;
  const parts = await Promise.all(
    images.map(async (image) => {
      const width = Math.max(1, Math.round((image.width * height) / image.height));
      const pixels = await sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: image.channels } })
        .resize(width, height, { fit: 'fill' })
        .ensureAlpha()
        .raw()
        .toBuffer();
      return { pixels, width };
    }),
  );
  const width = parts.reduce((sum, part) => sum + part.width, 0);
  let left = 0;
  const layers = parts.map((part) => {
    const layer = { input: part.pixels, raw: { width: part.width, height, channels: 4 as const }, left, top: 0 };
    left += part.width;
    return layer;
  });
  const pixels = await sharp({ create: { width, height, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } } })
    .composite(layers)
    .raw()
    .toBuffer();
  return { pixels, width, height, channels: 4, format: first.format };
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KontextResult } from '../types.js';
import { downloadImage, type DownloadOptions } from './download-image.js';

export interface SaveOptions extends DownloadOptions {
  /** Files are named `<baseName>.<n>.<ext>`, n counting from 1. */
  baseName: string;
  /** Replace files that exist; by default an existing file makes the save fail. */
  overwrite?: boolean;
}

/** Downloads every image of a result into `dir`; resolves with the paths written, in order. */
export async function saveResultImages(result: KontextResult, dir: string, options: SaveOptions): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const images = await Promise.all(result.data.images.map((image) => downloadImage(image, options)));
  const paths: string[] = [];
  for (const [index, image] of images.entries()) {
    const path = join(dir, `${options.baseName}.${index + 1}.${image.extension}`);
    await writeFile(path, image.bytes, { flag: options.overwrite ? 'w' : 'wx' });
    paths.push(path);
  }
  return paths;
}

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

export const samplesDir = fileURLToPath(new URL('../samples/', import.meta.url));
export const jpegSample = join(samplesDir, 'mountain-lake.jpg');
export const pngSample = join(samplesDir, 'red-apple.png');

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kontext-cli-'));
}

/** The apple mirrored left to right: a third real image whose bytes differ from both samples. */
function mirroredApple(): Buffer {
  const png = PNG.sync.read(readFileSync(pngSample));
  const mirrored = new PNG({ width: png.width, height: png.height });
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const from = (y * png.width + (png.width - 1 - x)) * 4;
      png.data.copy(mirrored.data, (y * png.width + x) * 4, from, from + 4);
    }
  }
  return PNG.sync.write(mirrored);
}

/**
 * A folder of three different images (jpg, png, png), so a test can make exactly one of
 * them fail by its bytes. `oddOneBase64` is the base64 of the third, as it appears in the
 * data URL the command submits.
 */
export function makeThreeImageFolder(parent: string): { dir: string; stems: string[]; oddOneBase64: string } {
  const dir = join(parent, 'photos');
  mkdirSync(dir, { recursive: true });
  copyFileSync(jpegSample, join(dir, 'lake.jpg'));
  copyFileSync(pngSample, join(dir, 'apple.png'));
  const odd = mirroredApple();
  writeFileSync(join(dir, 'mirrored-apple.png'), odd);
  return { dir, stems: ['apple', 'lake', 'mirrored-apple'], oddOneBase64: odd.toString('base64') };
}

// The photo case (issue 19): photos as people have them, through our client and through
// @fal-ai/client, with the emulator reading request bodies at 20 Mbit/s (its `uplink`). Each
// run is a process of its own (lib/photo-case.mjs), so its peak RSS is its own.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { median, round } from './stats.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
export const UPLINK_MBIT = 20;

/**
 * Phone-style pixels: smooth gradients under fine noise (sensor grain, texture), which is what
 * makes a phone JPEG 3-5 MB. `amplitude` is the noise's range.
 */
function photoPixels(width, height, amplitude) {
  const raw = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = (seed >>> 16) % amplitude;
      const i = (y * width + x) * 3;
      raw[i] = ((x * 200) / width + noise) & 255;
      raw[i + 1] = ((y * 200) / height + noise) & 255;
      raw[i + 2] = (((x + y) * 100) / (width + height) + 60 + noise) & 255;
    }
  }
  return raw;
}

/**
 * The two inputs: a 12 MP phone JPEG stored 4000 x 3000 on its side with EXIF orientation 6
 * (upright it is a 3000 x 4000 portrait), and a 24 MP PNG (6000 x 4000, a scan: 17 MB).
 */
export async function makePhotos(dir) {
  const phone = join(dir, 'phone-12mp.jpg');
  await sharp(photoPixels(4000, 3000, 24), { raw: { width: 4000, height: 3000, channels: 3 } })
    .jpeg({ quality: 92 })
    .withMetadata({ orientation: 6 })
    .toFile(phone);
  const scan = join(dir, 'scan-24mp.png');
  await sharp(photoPixels(6000, 4000, 2), { raw: { width: 6000, height: 4000, channels: 3 } }).png().toFile(scan);
  return [
    { name: '12 MP phone JPEG, EXIF orientation 6', file: phone, upright: 'portrait' },
    { name: '24 MP PNG', file: scan, upright: 'landscape' },
  ];
}

/** Whether a saved image is the right way up: the upright input's shape (the emulator keeps the aspect ratio). */
async function isUpright(path, upright) {
  const { width, height } = await sharp(path).metadata();
  return upright === 'portrait' ? height > width : width > height;
}

export async function photoRows({ emulator, row, results, log, quick }) {
  const dir = join(tmpdir(), `anyapi-bench-photos-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  await emulator.call('configure', { uplink: UPLINK_MBIT });
  try {
    const photos = await makePhotos(dir);
    const repeats = quick ? 2 : 3;
    results.cases.photos = { uplinkMbit: UPLINK_MBIT, photos: {} };
    for (const photo of photos) {
      const size = statSync(photo.file).size;
      const measured = { ours: [], fal: [] };
      for (let i = 0; i < repeats; i += 1) {
        // Take turns, a different one first each round.
        for (const which of i % 2 === 0 ? ['ours', 'fal'] : ['fal', 'ours']) {
          log(`photos: ${which}, ${photo.name}, ${round(size / 2 ** 20, 1)} MB (${i + 1}/${repeats})`);
          const outDir = join(dir, `out-${which}`);
          mkdirSync(outDir, { recursive: true });
          const out = JSON.parse(
            execFileSync(process.execPath, ['--expose-gc', join(here, 'photo-case.mjs'), which, emulator.url, emulator.apiKey, photo.file, outDir], { encoding: 'utf8' }),
          );
          const upright = out.error ? `refused (${out.error})` : (await Promise.all(out.saved.map((path) => isUpright(path, photo.upright)))).every(Boolean) ? 'yes' : 'no';
          measured[which].push({ bytesSent: out.bytesSent, ms: out.ms, extra: (out.peak - out.before) / size, upright, error: out.error });
        }
      }
      results.cases.photos.photos[photo.name] = { fileBytes: size, ...measured };
      const mid = (which, key) => median(measured[which].map((m) => m[key]));
      const name = `${photo.name}, ${round(size / 2 ** 20, 1)} MB, uplink ${UPLINK_MBIT} Mbit/s`;
      const bytes = { ours: mid('ours', 'bytesSent'), fal: mid('fal', 'bytesSent') };
      const ms = { ours: round(mid('ours', 'ms')), fal: round(mid('fal', 'ms')) };
      row(name, 'bytes sent', bytes.ours, bytes.fal, { target: '<= 0.2 x', met: bytes.ours * 5 <= bytes.fal });
      // A refused run's time is until the refusal: the upload it spent for nothing.
      row(name, 'call to images saved (or refused), ms', ms.ours, ms.fal, { target: '<= 0.5 x', met: ms.ours * 2 <= ms.fal });
      const upright = (which) => [...new Set(measured[which].map((m) => m.upright))].join(', ');
      row(name, 'output upright', upright('ours'), upright('fal'), { target: 'yes', met: upright('ours') === 'yes' });
      const extra = round(mid('ours', 'extra'), 2);
      row(name, 'peak extra RSS, x file size', extra, round(mid('fal', 'extra'), 2), { target: '<= 3.1 x', met: extra <= 3.1 });
    }
  } finally {
    await emulator.call('configure', { uplink: 0 }); // 0: no limit (undefined would not cross the IPC)
    rmSync(dir, { recursive: true, force: true });
  }
}

// What bundling an image decoder into the n8n node would cost, against the upload it saves
// (issue 19; the decision is in packages/n8n-nodes-anyapi-kontext/README.md, "Large photos").
// The node must bundle everything and run on n8n's one thread, so the candidate is pure JS:
// jpeg-js (the JPEG decoder and encoder pure-JS libraries use). PNG, WebP, GIF and AVIF would
// need more (pngjs, and WebAssembly builds of libwebp and libavif, megabytes each).
//
//   node --expose-gc bench/decoder-cost.mjs
import { build } from 'esbuild';
import jpeg from 'jpeg-js';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';

const UPLINKS = [20, 100]; // Mbit/s
const WIDTH = 4000;
const HEIGHT = 3000;

// The bench's phone-style 12 MP JPEG (lib/photos.mjs): gradients under fine noise, quality 92.
const raw = Buffer.alloc(WIDTH * HEIGHT * 3);
let seed = 12345;
for (let y = 0; y < HEIGHT; y++) {
  for (let x = 0; x < WIDTH; x++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const noise = (seed >>> 16) % 24;
    const i = (y * WIDTH + x) * 3;
    raw[i] = ((x * 200) / WIDTH + noise) & 255;
    raw[i + 1] = ((y * 200) / HEIGHT + noise) & 255;
    raw[i + 2] = (((x + y) * 100) / (WIDTH + HEIGHT) + 60 + noise) & 255;
  }
}
const photo = await sharp(raw, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();

const bundled = await build({ stdin: { contents: "export { decode, encode } from 'jpeg-js';", resolveDir: import.meta.dirname, loader: 'js' }, bundle: true, minify: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
const bundle = bundled.outputFiles[0].contents;

globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const decoded = jpeg.decode(photo, { useTArray: true, maxMemoryUsageInMB: 2048, maxResolutionInMP: 100 });
const t1 = performance.now();
// Box-average down by 3 (12 MP to 1.3 MP), the cheapest resize worth sending.
const factor = 3;
const width = Math.floor(WIDTH / factor);
const height = Math.floor(HEIGHT / factor);
const fitted = new Uint8Array(width * height * 4);
for (let y = 0; y < height; y++) {
  for (let x = 0; x < width; x++) {
    for (let c = 0; c < 4; c++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) for (let dx = 0; dx < factor; dx++) sum += decoded.data[((y * factor + dy) * WIDTH + x * factor + dx) * 4 + c];
      fitted[(y * width + x) * 4 + c] = sum / (factor * factor);
    }
  }
}
const t2 = performance.now();
const encoded = jpeg.encode({ data: fitted, width, height }, 90).data;
const t3 = performance.now();
const peakExtra = process.resourceUsage().maxRSS * 1024 - rssBefore;

const dataUrlBytes = (bytes) => Math.ceil(bytes / 3) * 4;
const upload = (bytes, mbit) => (dataUrlBytes(bytes) * 8) / (mbit * 1e6) * 1000;
const report = {
  photo: { bytes: photo.length, megapixels: (WIDTH * HEIGHT) / 1e6 },
  decoder: { package: 'jpeg-js 0.4.4 (decode + encode)', minifiedBytes: bundle.length, gzippedBytes: gzipSync(bundle, { level: 9 }).length },
  cpuMs: { decode: Math.round(t1 - t0), resize: Math.round(t2 - t1), encode: Math.round(t3 - t2), total: Math.round(t3 - t0) },
  peakExtraRssMB: Math.round(peakExtra / 2 ** 20),
  fittedBytes: encoded.length,
  uploadSavedMs: Object.fromEntries(UPLINKS.map((mbit) => [`${mbit} Mbit/s`, Math.round(upload(photo.length, mbit) - upload(encoded.length, mbit))])),
};
console.log(JSON.stringify(report, null, 2));

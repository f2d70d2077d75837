// Benchmarks of the client against the local emulator. Rerun with `pnpm bench` at the root.
// Numbers are printed, never asserted: they show where time and memory go.
import { performance } from 'node:perf_hooks';
import { deflateSync, crc32 } from 'node:zlib';
import { startEmulator } from '@anyapi-kontext/emulator';
import { bytesToDataUrl, createKontextClient, encodeBase64, validateInput } from '../dist/index.js';

const MB = 1024 * 1024;
const results = {};

function png(width, height, noise) {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  const stride = width * 3 + 1;
  for (let i = 0; i < rows.length; i += 1) {
    // Each row starts with its filter type, 0 (none).
    rows[i] = i % stride === 0 ? 0 : noise ? (Math.imul(i, 2654435761) >>> 24) : i % 251;
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const ms = (value) => Math.round(value * 10) / 10;

async function throughput(emulator, { jobs, concurrency, stream, pollInterval }) {
  emulator.configure({ stream, jobDuration: 20, concurrency: 64 });
  emulator.resetCounters();
  const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
  const input = { prompt: 'bench', image_url: bytesToDataUrl(png(64, 64, false)) };
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs) {
        next += 1;
        const t0 = performance.now();
        await kontext.run(input, { stream, pollInterval });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const counters = emulator.counters;
  return {
    jobs,
    concurrency,
    'jobs/s': Math.round(jobs / seconds),
    'p50 ms': ms(percentile(latencies, 50)),
    'p95 ms': ms(percentile(latencies, 95)),
    'requests/job': Math.round((counters.total / jobs) * 10) / 10,
  };
}

function largeImage() {
  const bytes = png(2048, 1536, true); // about 9 MB of incompressible pixels
  const heapBefore = process.memoryUsage().heapUsed;
  let t0 = performance.now();
  const dataUrl = bytesToDataUrl(bytes);
  const encodeMs = performance.now() - t0;
  t0 = performance.now();
  validateInput({ prompt: 'big', image_url: dataUrl });
  const validateMs = performance.now() - t0;
  t0 = performance.now();
  Buffer.from(bytes).toString('base64');
  const nodeBase64Ms = performance.now() - t0;
  t0 = performance.now();
  encodeBase64(bytes);
  const ourBase64Ms = performance.now() - t0;
  return {
    'image MB': ms(bytes.length / MB),
    'data URL MB': ms(dataUrl.length / MB),
    'bytesToDataUrl ms': ms(encodeMs),
    'validateInput ms': ms(validateMs),
    'encodeBase64 ms': ms(ourBase64Ms),
    'Buffer base64 ms (reference)': ms(nodeBase64Ms),
    'heap growth MB': ms((process.memoryUsage().heapUsed - heapBefore) / MB),
  };
}

async function largeSubmit(emulator) {
  emulator.configure({ stream: true, jobDuration: 20 });
  const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
  const dataUrl = bytesToDataUrl(png(1024, 768, true));
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const runs = 10;
  for (let i = 0; i < runs; i += 1) await kontext.run({ prompt: `big ${i}`, image_url: dataUrl });
  return {
    'data URL MB': ms(dataUrl.length / MB),
    runs,
    'ms/run': ms((performance.now() - t0) / runs),
    'rss growth MB': ms((process.memoryUsage().rss - rssBefore) / MB),
  };
}

const emulator = await startEmulator({ port: 0, concurrency: 64, jobDuration: 20 });
try {
  // Warm up the emulator's image code and the JIT so the first case measured does not pay for it.
  await throughput(emulator, { jobs: 40, concurrency: 8, stream: true });
  await throughput(emulator, { jobs: 40, concurrency: 8, stream: false, pollInterval: 50 });
  results['throughput, status stream'] = await throughput(emulator, { jobs: 300, concurrency: 16, stream: true });
  results['throughput, polling every 50 ms'] = await throughput(emulator, { jobs: 300, concurrency: 16, stream: false, pollInterval: 50 });
  results['large input image (CPU, memory)'] = largeImage();
  results['large input image, whole run (10 x)'] = await largeSubmit(emulator);
} finally {
  await emulator.stop();
}
for (const [name, values] of Object.entries(results)) {
  console.log(`\n${name}`);
  console.table(values);
}
console.log(`\nNode ${process.version}, ${new Date().toISOString()}`);

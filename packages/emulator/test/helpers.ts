import sharp from 'sharp';
import { afterEach } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/index.js';

export const SUBMIT_PATH = '/fal-ai/flux-pro/kontext';

const running: RunningEmulator[] = [];

/** Starts an emulator that the test file stops after each test. Short jobs keep tests fast. */
export async function useEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({ jobDuration: 40, ...options });
  running.push(emulator);
  return emulator;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
});

/** A PNG with a gradient, so colour changes are measurable. */
export async function pngImage(width = 64, height = 48): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * 3;
      pixels[offset] = Math.round((x * 255) / width);
      pixels[offset + 1] = Math.round((y * 255) / height);
      pixels[offset + 2] = 128;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

export function dataUrl(bytes: Buffer, mime = 'image/png'): string {
  return `data:${mime};base64,${bytes.toString('base64')}`;
}

export async function sampleInput(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return { prompt: 'Put a donut next to the flour.', image_url: dataUrl(await pngImage()), ...overrides };
}

/**
 * Answers are checked field by field against fal's documented shapes; typing every one of
 * them here would only restate the assertions.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

/** A fetch against the emulator with its key (or the headers given). */
export async function call(
  emulator: RunningEmulator,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<{ status: number; headers: Headers; body: JsonBody }> {
  const headers: Record<string, string> = { authorization: `Bearer ${emulator.apiKey}`, ...options.headers };
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(emulator.url + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export async function submit(
  emulator: RunningEmulator,
  input: Record<string, unknown>,
  query = '',
): Promise<{ request_id: string; queue_position: number }> {
  const answer = await call(emulator, 'POST', SUBMIT_PATH + query, { body: input });
  if (answer.status !== 200) throw new Error(`submit answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export function statusPath(requestId: string, suffix = '/status'): string {
  return `/fal-ai/flux-pro/requests/${requestId}${suffix}`;
}

export async function status(emulator: RunningEmulator, requestId: string, logs = false) {
  return call(emulator, 'GET', statusPath(requestId) + (logs ? '?logs=1' : ''));
}

/** Polls until the job has ended; returns its last status answer. */
export async function waitUntilEnded(emulator: RunningEmulator, requestId: string, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const answer = await status(emulator, requestId, true);
    if (answer.body.status === 'COMPLETED' || answer.body.status === 'FAILED') return answer;
    if (Date.now() > deadline) throw new Error(`job ${requestId} still ${answer.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A PNG of random pixels: it does not compress, so its size in bytes is about width * height * 3. */
export async function noisePng(width: number, height: number, seed = 1): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < pixels.length; index += 1) {
    // xorshift32: cheap and reproducible.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pixels[index] = state & 0xff;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

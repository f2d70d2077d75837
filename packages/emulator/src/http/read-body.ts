import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** The default body limit: AnyAPI documents none; this one is only there so nothing buffers without end. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body is larger than the ${limit} bytes allowed.`);
  }
}

/**
 * The client's upload link, shared by every request body the emulator reads, as a person's
 * uplink is shared by everything they send at once. Each chunk read takes its share of the link's
 * time (bits / rate) before the next is read; the socket's backpressure then slows the sender.
 * Without a rate (undefined or 0) bodies are read as fast as they come.
 */
export class Uplink {
  /** When (performance.now()) the link is free again. */
  private freeAt = 0;

  constructor(private readonly megabitsPerSecond: () => number | undefined) {}

  /** Waits until `bytes` have crossed the link. */
  async carry(bytes: number): Promise<void> {
    const rate = this.megabitsPerSecond();
    if (!rate) return;
    const now = performance.now();
    // bits / (Mbit/s * 1e6) seconds = bytes * 8 / (rate * 1000) milliseconds.
    this.freeAt = Math.max(now, this.freeAt) + (bytes * 8) / (rate * 1000);
    const wait = this.freeAt - now;
    // Unref'd: a body still arriving must not keep a stopped emulator's process alive.
    if (wait >= 1) await sleep(wait, undefined, { ref: false });
  }
}

export interface BodyLimits {
  maxBytes: number;
  uplink: Uplink;
}

/**
 * The whole body as text, read through the uplink. A body whose declared length is over
 * `maxBytes` is refused before any of it is read; one without a length (chunked) once the bytes
 * read pass the limit, and nothing past it is kept.
 */
export async function readBody(request: IncomingMessage, limits: BodyLimits): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) throw new BodyTooLargeError(limits.maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    // Past the limit the rest is read and dropped, not left unread: leaving the loop would
    // destroy the socket, and the client would see a reset instead of the 413.
    if (size > limits.maxBytes) {
      chunks.length = 0;
      continue;
    }
    await limits.uplink.carry(buffer.byteLength);
    chunks.push(buffer);
  }
  if (size > limits.maxBytes) throw new BodyTooLargeError(limits.maxBytes);
  return Buffer.concat(chunks).toString('utf8');
}

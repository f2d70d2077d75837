import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A cassette: the HTTP exchanges between one client and AnyAPI (or the emulator), in order,
 * as `<dir>/cassette.json`, with every image body in `<dir>/blobs/<sha256>.<ext>`. The key is
 * never in it: the Authorization header is dropped and any echo of the key in a body is
 * replaced by `[key]`. The upstream's own origin is written as `{{origin}}`, so that a replay
 * can serve the URLs that pointed at it (the emulator's image files) itself.
 */
export interface Cassette {
  format: 1;
  /** When the first request was recorded, ISO 8601. */
  recordedAt: string;
  /** The host recorded from (no path, no credentials), for the reader. */
  upstreamHost: string;
  exchanges: Exchange[];
}

export interface Exchange {
  /** Milliseconds from the first request of the cassette to this one. */
  at: number;
  request: { method: string; path: string; headers: Record<string, string>; body?: RecordedBody };
  response: {
    status: number;
    headers: Record<string, string>;
    /** Milliseconds from the request to the response's headers. */
    headersMs: number;
    /** Milliseconds from the request to the body's end. */
    totalMs: number;
    body?: RecordedBody;
    /** A streamed body (the status event stream), as it arrived: text and when. */
    chunks?: { ms: number; text: string }[];
  };
}

/** JSON (its data URLs replaced by `{ $dataUrl: blob }`), text, or bytes kept as a blob. */
export type RecordedBody = { json: unknown } | { text: string } | { blob: string; contentType: string };

export const CASSETTE_FILE = 'cassette.json';
const BLOBS = 'blobs';
export const ORIGIN_PLACEHOLDER = '{{origin}}';
export const KEY_PLACEHOLDER = '[key]';

/** Request headers worth keeping: what says how the body is sent and fal's own. */
export function keptRequestHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'content-type' || lower === 'accept' || lower.startsWith('x-fal-')) kept[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

/** Response headers minus the connection's own (hop-by-hop and lengths, which a replay recomputes). */
export function keptResponseHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'set-cookie'].includes(name)) kept[name] = value;
  });
  return kept;
}

export class BlobStore {
  constructor(private readonly dir: string) {}

  /** Stores the bytes under their hash (once) and returns the blob's name. */
  put(bytes: Uint8Array, contentType: string): string {
    const name = `${createHash('sha256').update(bytes).digest('hex')}.${extensionOf(contentType)}`;
    mkdirSync(join(this.dir, BLOBS), { recursive: true });
    writeFileSync(join(this.dir, BLOBS, name), bytes);
    return name;
  }

  get(name: string): Buffer {
    if (!/^[0-9a-f]{64}\.[a-z0-9]+$/.test(name)) throw new Error(`not a blob name: ${name}`);
    return readFileSync(join(this.dir, BLOBS, name));
  }
}

const DATA_URL = /^data:([^;,]+);base64,/;

/** A JSON value with each base64 data URL moved to the blob store as `{ $dataUrl: name }`. */
export function storeDataUrls(value: unknown, blobs: BlobStore): unknown {
  if (typeof value === 'string') {
    const match = DATA_URL.exec(value);
    if (!match || value.length < 256) return value;
    return { $dataUrl: blobs.put(Buffer.from(value.slice(match[0].length), 'base64'), match[1]!) };
  }
  if (Array.isArray(value)) return value.map((item) => storeDataUrls(item, blobs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, storeDataUrls(item, blobs)]));
  }
  return value;
}

/** The JSON value as it was sent: every `{ $dataUrl: name }` back to its data URL. */
export function restoreDataUrls(value: unknown, blobs: BlobStore): unknown {
  if (Array.isArray(value)) return value.map((item) => restoreDataUrls(item, blobs));
  if (value && typeof value === 'object') {
    const blob = (value as { $dataUrl?: unknown }).$dataUrl;
    if (typeof blob === 'string' && Object.keys(value).length === 1) {
      return `data:${contentTypeOf(blob)};base64,${blobs.get(blob).toString('base64')}`;
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, restoreDataUrls(item, blobs)]));
  }
  return value;
}

export function readCassette(dir: string): Cassette {
  const cassette = JSON.parse(readFileSync(join(dir, CASSETTE_FILE), 'utf8')) as Cassette;
  if (cassette.format !== 1 || !Array.isArray(cassette.exchanges)) throw new Error(`${join(dir, CASSETTE_FILE)} is not a cassette of format 1`);
  return cassette;
}

/** Written whole each time (write, then rename), so a reader never sees half a file. */
export function writeCassette(dir: string, cassette: Cassette): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, CASSETTE_FILE);
  writeFileSync(`${file}.partial`, `${JSON.stringify(cassette, null, 2)}\n`);
  renameSync(`${file}.partial`, file);
}

/** Replaces every occurrence of `from` in the strings of a JSON value (or a text). */
export function replaceInJson<T>(value: T, from: string, to: string): T {
  if (!from) return value;
  return JSON.parse(JSON.stringify(value).split(JSON.stringify(from).slice(1, -1)).join(JSON.stringify(to).slice(1, -1))) as T;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
  'application/octet-stream': 'bin',
};

function extensionOf(contentType: string): string {
  return EXTENSIONS[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'bin';
}

export function contentTypeOf(blob: string): string {
  const extension = blob.slice(blob.lastIndexOf('.') + 1);
  return Object.entries(EXTENSIONS).find(([, candidate]) => candidate === extension)?.[0] ?? 'application/octet-stream';
}

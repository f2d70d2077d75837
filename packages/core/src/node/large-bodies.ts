/**
 * Request and response bodies without needless whole copies: a 20 MB image is a 27 MB data
 * URL, and AnyAPI's result echoes it back. JSON.stringify and fetch's string body would hold
 * the JSON text and its UTF-8 bytes besides the data URL; `response.text()` holds the bytes,
 * their concatenation and the text before JSON.parse makes its own copy.
 */

import { LONG_STRING, NEEDS_NO_ESCAPING } from '../transport/long-strings.js';

/** Long strings go into the request in slices this long, from the string itself. */
const SLICE = 64 * 1024;

export interface JsonBody {
  /** The bytes of the JSON text, produced as they are sent. */
  stream: ReadableStream<Uint8Array>;
  /** Its length in bytes, for Content-Length. */
  length: number;
}

/**
 * `body` as JSON; a body holding long strings (a data URL) becomes a stream that writes them
 * slice by slice from the string itself, so no copy of the whole text exists at once.
 */
export function jsonBody(body: unknown): string | JsonBody {
  const long: string[] = [];
  const marker = `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const text = JSON.stringify(body, (_key, value: unknown) => {
    if (typeof value !== 'string' || value.length < LONG_STRING || !NEEDS_NO_ESCAPING.test(value)) return value;
    long.push(value);
    return `${marker}:${long.length - 1}`;
  });
  if (long.length === 0) return text;
  // The text holds "<marker>:<n>" where long string n goes: split it there.
  const pieces = text.split(new RegExp(`"${marker}:(\\d+)"`));
  const parts: (Uint8Array | string)[] = [];
  pieces.forEach((piece, index) => {
    if (index % 2 === 0) parts.push(Buffer.from(piece, 'utf8'));
    else parts.push('"', long[Number(piece)]!, '"');
  });
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  let part = 0;
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const current = parts[part];
      if (current === undefined) {
        controller.close();
        return;
      }
      if (typeof current !== 'string') {
        controller.enqueue(current);
        part += 1;
        return;
      }
      controller.enqueue(Buffer.from(current.slice(offset, offset + SLICE), 'latin1'));
      offset += SLICE;
      if (offset >= current.length) {
        part += 1;
        offset = 0;
      }
    },
  });
  return { stream, length };
}

/** A response body as text, decoded chunk by chunk (no copy of all the bytes at once). */
export async function readText(stream: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!stream) return '';
  const decoder = new TextDecoder();
  const pieces: string[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) pieces.push(decoder.decode(chunk, { stream: true }));
  pieces.push(decoder.decode());
  return pieces.join('');
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Reads a JSON answer that may echo long strings the caller already holds (AnyAPI's result
 * repeats the submitted input as `request`). A string literal whose bytes equal one of
 * `known` is not decoded: the parsed value holds that very string, so a 27 MB data URL is not
 * held twice (or three times, with the text it was parsed from). Everything else is parsed as
 * usual. `known` strings need no JSON escaping (see `longStrings`).
 */
export async function readJsonSharing(stream: ReadableStream<Uint8Array> | null, known: readonly string[]): Promise<unknown> {
  if (!stream) return undefined;
  const marker = `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}#`;
  const decoder = new TextDecoder();
  const pieces: string[] = [];
  const emit = (bytes: Uint8Array) => {
    if (bytes.length > 0) pieces.push(decoder.decode(bytes, { stream: true }));
  };
  let inString = false;
  let escaped = false;
  /** While a literal may still be one of `known`: the one it matches so far, and how many chars. */
  let current: string | undefined;
  let matched = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    let i = 0;
    while (i < chunk.length) {
      if (!inString) {
        const quote = chunk.indexOf(QUOTE, i);
        if (quote === -1) {
          emit(chunk.subarray(i));
          break;
        }
        emit(chunk.subarray(i, quote + 1));
        inString = true;
        current = known[0];
        matched = 0;
        i = quote + 1;
        continue;
      }
      if (current !== undefined) {
        // Compare the literal with the known string, as far as this chunk goes.
        const found = matchKnown(chunk, i, current, matched, known);
        if (found.end === chunk.length) {
          ({ candidate: current, matched } = found);
          i = found.end;
          continue;
        }
        if (found.whole) {
          pieces.push(`${marker}${known.indexOf(found.candidate)}"`);
          inString = false;
          i = found.end + 1;
        } else {
          // Not a known string after all: the chars matched so far are the literal's own.
          pieces.push(found.candidate.slice(0, found.matched));
          i = found.end;
        }
        current = undefined;
        continue;
      }
      // An ordinary string: find where it ends, minding escapes.
      let k = i;
      while (k < chunk.length) {
        const byte = chunk[k]!;
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) break;
        k += 1;
      }
      if (k === chunk.length) {
        emit(chunk.subarray(i));
        break;
      }
      emit(chunk.subarray(i, k + 1));
      inString = false;
      i = k + 1;
    }
  }
  pieces.push(decoder.decode());
  const text = pieces.join('');
  if (text === '') return undefined;
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith(marker)) return value;
    return known[Number(value.slice(marker.length))] ?? value;
  });
}

/**
 * Follows a string literal's bytes from `start` while they equal `candidate` (switching to
 * another known string with the same beginning when they part). Stops at the chunk's end, at
 * the closing quote of a whole match (`whole`), or where the literal is none of them.
 */
function matchKnown(
  chunk: Uint8Array,
  start: number,
  candidate: string,
  matched: number,
  known: readonly string[],
): { end: number; candidate: string; matched: number; whole: boolean } {
  let k = start;
  while (k < chunk.length) {
    const byte = chunk[k]!;
    if (byte === QUOTE && matched === candidate.length) return { end: k, candidate, matched, whole: true };
    if (candidate.charCodeAt(matched) === byte) {
      matched += 1;
      k += 1;
      continue;
    }
    const prefix = candidate.slice(0, matched);
    const other = known.find((text) => text.charCodeAt(matched) === byte && text.startsWith(prefix));
    if (other === undefined) break;
    candidate = other;
  }
  return { end: k, candidate, matched, whole: false };
}

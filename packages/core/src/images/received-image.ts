import { decodeBase64 } from './base64.js';
import { detectImageType } from './image-type.js';

/** Image bytes received from the server, with what to call them when saving. */
export interface ReceivedImage {
  bytes: Uint8Array;
  contentType: string;
  extension: string;
}

const EXTENSIONS_BY_TYPE: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
  'image/bmp': 'bmp',
  'image/tiff': 'tiff',
};

/**
 * Names received bytes by what they are when they are a known image, else by the content type
 * the server declared. A server's label can be wrong (fal's file host answers
 * `application/octet-stream` at times); the bytes cannot.
 */
export function describeReceivedImage(bytes: Uint8Array, declaredContentType?: string): ReceivedImage {
  const detected = detectImageType(bytes);
  if (detected) return { bytes, contentType: detected.mime, extension: detected.extension };
  const contentType = declaredContentType?.split(';')[0]?.trim().toLowerCase() || 'application/octet-stream';
  return { bytes, contentType, extension: EXTENSIONS_BY_TYPE[contentType] ?? 'bin' };
}

/**
 * Reads a `data:` URL, the form result images take with `sync_mode`, base64 or
 * percent-encoded; undefined when it is not one.
 */
export function decodeDataUrl(url: string): ReceivedImage | undefined {
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!match) return undefined;
  const [, mediaType, parameters, payload] = match as unknown as [string, string, string, string];
  const isBase64 = parameters.split(';').some((parameter) => parameter.trim().toLowerCase() === 'base64');
  const bytes = isBase64 ? decodeBase64(payload) : percentDecode(payload);
  return bytes && describeReceivedImage(bytes, mediaType);
}

/** Undefined when a `%` is not followed by two hex digits. */
function percentDecode(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 0x25) {
      const hex = text.slice(index + 1, index + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else if (code < 0x80) {
      bytes.push(code);
    } else {
      const character = String.fromCodePoint(text.codePointAt(index)!);
      bytes.push(...new TextEncoder().encode(character));
      index += character.length - 1;
    }
  }
  return Uint8Array.from(bytes);
}

import { dataUrlPrefix } from '../images/image-type.js';

/**
 * `bytesToDataUrl` on Node's own base64 (Buffer): about 10 times faster than the portable
 * encoder, and its text is one string outside the JS heap rather than bytes plus a decoded
 * copy. (Encoding in pieces and joining them measured worse: the pieces outlive the join.)
 * The Node entry exports this one; the portable entry keeps the encoder that runs anywhere.
 */
export function bytesToDataUrl(bytes: Uint8Array, field = 'image'): string {
  const prefix = dataUrlPrefix(bytes, field);
  return prefix + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

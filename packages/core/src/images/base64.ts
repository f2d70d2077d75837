const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const CODES = Uint8Array.from(ALPHABET, (char) => char.charCodeAt(0));
const PAD = '='.charCodeAt(0);

/**
 * Standard base64 of `bytes`, without Node's Buffer so that it runs anywhere. The text is
 * written as ASCII bytes and decoded once: building it with string concatenation was 30 times
 * slower and held hundreds of MB for a large image (see bench/run.mjs). `prefix` (ASCII, such
 * as a data URL's `data:image/png;base64,`) is written in front, into the same text: `prefix +
 * encodeBase64(bytes)` would be a two-part (cons) string that V8 copies whole the first time any
 * of its characters is read (checking its header, sending it).
 */
export function encodeBase64(bytes: Uint8Array, prefix = ''): string {
  const out = new Uint8Array(prefix.length + Math.ceil(bytes.length / 3) * 4);
  for (let i = 0; i < prefix.length; i += 1) out[i] = prefix.charCodeAt(i) & 0x7f;
  const whole = bytes.length - (bytes.length % 3);
  let o = prefix.length;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = CODES[(n >> 6) & 63]!;
    out[o++] = CODES[n & 63]!;
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const n = (bytes[whole]! << 16) | (rest === 2 ? bytes[whole + 1]! << 8 : 0);
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = rest === 2 ? CODES[(n >> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  return new TextDecoder().decode(out);
}

const LOOKUP = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i += 1) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Decodes standard base64; used for the data URIs `sync_mode` returns. */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  const sextet = (i: number) => (i < clean.length ? LOOKUP[clean.charCodeAt(i)]! : 0);
  let length = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const n = (sextet(i) << 18) | (sextet(i + 1) << 12) | (sextet(i + 2) << 6) | sextet(i + 3);
    bytes[length++] = (n >> 16) & 255;
    if (i + 2 < clean.length) bytes[length++] = (n >> 8) & 255;
    if (i + 3 < clean.length) bytes[length++] = n & 255;
  }
  return bytes.subarray(0, length);
}

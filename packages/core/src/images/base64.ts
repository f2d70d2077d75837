const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 of `bytes`, without Node's Buffer so that it runs anywhere. */
export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  // Building the text in slices keeps string concatenation cheap for large images.
  const slice = 3 * 16_384;
  for (let start = 0; start < bytes.length; start += slice) {
    const end = Math.min(bytes.length, start + slice);
    let text = '';
    for (let i = start; i < end; i += 3) {
      const a = bytes[i]!;
      const b = i + 1 < end ? bytes[i + 1]! : 0;
      const c = i + 2 < end ? bytes[i + 2]! : 0;
      text += ALPHABET[a >> 2]! + ALPHABET[((a & 3) << 4) | (b >> 4)]!;
      text += i + 1 < end ? ALPHABET[((b & 15) << 2) | (c >> 6)]! : '=';
      text += i + 2 < end ? ALPHABET[c & 63]! : '=';
    }
    parts.push(text);
  }
  return parts.join('');
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

import { crc32, deflateSync } from 'node:zlib';

/** A real RGB PNG of `width` x `height`, a diagonal gradient, for input images in tests. */
export function makePng(width: number, height: number): Uint8Array {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x += 1) {
      rows[row + 1 + x * 3] = (x * 255) / Math.max(1, width - 1);
      rows[row + 2 + x * 3] = (y * 255) / Math.max(1, height - 1);
      rows[row + 3 + x * 3] = 128;
    }
  }
  return pngOf(width, height, rows);
}

/** A PNG whose header says `width` x `height` over a few bytes of data: a decompression bomb's shape. */
export const pngHeaderOnly = (width: number, height: number): Uint8Array => pngOf(width, height, Buffer.alloc(64));

/** An 8-bit RGB PNG of `width` x `height` whose image data is `rows` (filter bytes included). */
function pngOf(width: number, height: number, rows: Buffer): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** Width and height from a PNG's header. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(bytes);
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

export const pngDataUrl = (width = 64, height = 48) => `data:image/png;base64,${Buffer.from(makePng(width, height)).toString('base64')}`;

import { crc32, deflateSync } from 'node:zlib';

/** An RGB PNG; `noise` makes its pixels incompressible, so the file is about width x height x 3 bytes. */
export function png(width, height, noise = false) {
  const stride = width * 3 + 1;
  const rows = Buffer.alloc(stride * height);
  let state = 0x2545f491; // xorshift32: the same noise on every run
  for (let i = 0; i < rows.length; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    // Each row starts with its filter type, 0 (none).
    rows[i] = i % stride === 0 ? 0 : noise ? state & 255 : i % 251;
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
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

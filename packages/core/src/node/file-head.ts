import { open } from 'node:fs/promises';

/** Enough of a file to read its image header: type, pixel size (a JPEG's comes after its metadata) and orientation. */
const HEAD_BYTES = 256 * 1024;

/**
 * The first 256 KB of a file (all of a smaller one) and its size in bytes, without reading the
 * rest: what `checkImage`/`inspectImage` read an image file's header from before it is sent.
 * Rejects with the file system's own error (`code` ENOENT, EISDIR, EACCES...), for the caller
 * to word.
 */
export async function readImageFileHead(path: string): Promise<{ head: Uint8Array; size: number }> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const buffer = new Uint8Array(Math.min(HEAD_BYTES, size));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return { head: buffer.subarray(0, bytesRead), size };
  } finally {
    await file.close();
  }
}

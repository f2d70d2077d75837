/** A stored output image, served at `/files/<request id>/<n>.<ext>`. */
export interface StoredFile {
  bytes: Uint8Array;
  contentType: string;
}

/**
 * Output images kept in memory for the emulator's lifetime, like fal's file host keeps them
 * for a while. Nothing is written to disk, so parallel test runs never collide.
 */
export class FileStore {
  private readonly files = new Map<string, StoredFile>();

  put(requestId: string, fileName: string, file: StoredFile): string {
    const path = `/files/${encodeURIComponent(requestId)}/${encodeURIComponent(fileName)}`;
    this.files.set(path, file);
    return path;
  }

  get(path: string): StoredFile | undefined {
    return this.files.get(path);
  }
}

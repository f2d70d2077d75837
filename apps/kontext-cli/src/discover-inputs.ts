import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { detectImageType } from '@anyapi-kontext/core';
import { UsageError } from './command.js';
import { displayPath } from './display-path.js';

export interface InputImage {
  /** The path as the user would recognise it (relative to the working directory when inside it). */
  displayPath: string;
  absolutePath: string;
  /** The file name without its extension: the stem of the output names. */
  stem: string;
  mime: string;
}

/** Enough of a file to tell its type (AVIF's brand list is the longest to read). */
const headerBytes = 256;

/**
 * Extensions we pick up when walking a folder. A folder may also hold sidecars, notes and
 * earlier outputs, so other files there are skipped quietly; a file named explicitly is
 * always checked and refused if it is not an image the API takes.
 */
const imageExtensions = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.avif']);

/**
 * Expands files and folders (one level deep) into the images to edit, in a stable order.
 * Each file is opened and its type read from its first bytes, so an unreadable or wrong file
 * stops the batch before anything is sent; the whole file is read only when its job starts,
 * which keeps memory flat for large folders.
 */
export async function discoverInputs(paths: string[], cwd: string): Promise<InputImage[]> {
  if (paths.length === 0) throw new UsageError('no input images: give one or more image files or folders');
  const files: string[] = [];
  for (const path of paths) {
    const absolutePath = resolve(cwd, path);
    const info = await stat(absolutePath).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${path}: ${describeFsError(error)}`);
    });
    if (info.isDirectory()) {
      const entries = await readdir(absolutePath, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot read folder ${path}: ${describeFsError(error)}`);
      });
      const images = entries
        .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
        .filter((entry) => imageExtensions.has(extname(entry.name).toLowerCase()))
        .map((entry) => join(absolutePath, entry.name))
        .sort();
      if (images.length === 0) throw new UsageError(`no images in folder ${path} (looked for ${[...imageExtensions].join(' ')})`);
      files.push(...images);
    } else {
      files.push(absolutePath);
    }
  }
  const unique = [...new Set(files)];
  return Promise.all(unique.map((file) => readInputImage(file, cwd)));
}

async function readInputImage(absolutePath: string, cwd: string): Promise<InputImage> {
  const shownAs = displayPath(absolutePath, cwd);
  const header = await readHeader(absolutePath).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${shownAs}: ${describeFsError(error)}`);
  });
  // Trust the bytes, not the extension: the API refuses anything but these types.
  const type = detectImageType(header);
  if (!type) {
    throw new UsageError(`${shownAs} is not a supported image: the API takes JPEG, PNG, WebP, GIF or AVIF`);
  }
  const stem = basename(absolutePath, extname(absolutePath));
  return { displayPath: shownAs, absolutePath, stem, mime: type.mime };
}

async function readHeader(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const buffer = new Uint8Array(headerBytes);
    const { bytesRead } = await file.read(buffer, 0, headerBytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

function describeFsError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    default:
      return error.message;
  }
}

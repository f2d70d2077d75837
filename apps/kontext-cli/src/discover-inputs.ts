import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { InputError } from '@anyapi-kontext/core';
import { readImageFileHead } from '@anyapi-kontext/core/fetch';
import { checkImage } from '@anyapi-kontext/core/portable';
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

/**
 * Extensions we pick up when walking a folder. A folder may also hold sidecars, notes and
 * earlier outputs, so other files there are skipped quietly; a file named explicitly is
 * always checked and refused if it is not an image the API takes.
 */
const imageExtensions = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.avif']);

/**
 * Expands files and folders (one level deep) into the images to edit, in a stable order.
 * Each file is opened and its header read (the core's reader: type, pixel size), so an
 * unreadable or wrong file, or with `fit` off one above 20 MB or 20 MP, stops the batch before
 * anything is sent; the whole file is read only when its job starts, which keeps memory flat
 * for large folders.
 */
export async function discoverInputs(paths: string[], cwd: string, { fit = true }: { fit?: boolean } = {}): Promise<InputImage[]> {
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
  return Promise.all(unique.map((file) => readInputImage(file, cwd, fit)));
}

async function readInputImage(absolutePath: string, cwd: string, fit: boolean): Promise<InputImage> {
  const shownAs = displayPath(absolutePath, cwd);
  const { head, size } = await readImageFileHead(absolutePath).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${shownAs}: ${describeFsError(error)}`);
  });
  // Trust the bytes, not the extension: the API refuses anything but these types.
  let type;
  try {
    ({ type } = checkImage(head, 'image', { totalBytes: size, limits: !fit, shownAs, fitHint: 'leave out --original to send it at the size the model works at' }));
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(error.fieldErrors[0]!.message);
    throw error;
  }
  const stem = basename(absolutePath, extname(absolutePath));
  return { displayPath: shownAs, absolutePath, stem, mime: type.mime };
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

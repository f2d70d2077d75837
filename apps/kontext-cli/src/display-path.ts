import { relative } from 'node:path';

/** A path as the user would type it: relative when inside the working folder, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

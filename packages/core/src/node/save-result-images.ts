import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FieldError } from '../errors.js';
import type { KontextResult } from '../types.js';
import { argumentProblem, describeGot, isOptionsObject, throwIfProblems } from '../validation/check-arguments.js';
import { checkDownloadOptions, fetchImage, imageUrlOf, type DownloadOptions } from './download-image.js';

export interface SaveOptions extends DownloadOptions {
  /** Files are named `<baseName>.<n>.<ext>`, n counting from 1. */
  baseName: string;
  /** Replace files that exist; by default an existing file makes the save fail. */
  overwrite?: boolean;
}

const BASE_NAME = /^[^/\\\0]{1,200}$/;

/**
 * Downloads every image of a result into `dir`; resolves with the paths written, in order.
 * Every argument is checked before anything is fetched or written.
 */
export async function saveResultImages(result: KontextResult, dir: string, options: SaveOptions): Promise<string[]> {
  const problems: FieldError[] = [];
  const urls = imageUrlsOf(result, problems);
  if (typeof dir !== 'string' || dir.trim() === '' || dir.includes('\0')) {
    problems.push(argumentProblem('dir', 'the path of a folder', dir));
  }
  if (!isOptionsObject(options)) {
    problems.push({ field: 'options', message: `options is required: { baseName, overwrite? } (got ${describeGot(options)})` });
    throwIfProblems(problems);
  }
  const { baseName, overwrite } = options;
  if (typeof baseName !== 'string' || !BASE_NAME.test(baseName) || baseName === '.' || baseName === '..') {
    problems.push(argumentProblem('baseName', 'a file name without folders: 1 to 200 characters, no slashes', baseName));
  }
  if (overwrite !== undefined && typeof overwrite !== 'boolean') {
    problems.push(argumentProblem('overwrite', 'true or false', overwrite));
  }
  const download = checkDownloadOptions(options, problems);
  throwIfProblems(problems);

  await mkdir(dir, { recursive: true });
  const images = await Promise.all(urls.map((url) => fetchImage(url, download)));
  const paths: string[] = [];
  for (const [index, image] of images.entries()) {
    const path = join(dir, `${baseName}.${index + 1}.${image.extension}`);
    await writeFile(path, image.bytes, { flag: overwrite ? 'w' : 'wx' });
    paths.push(path);
  }
  return paths;
}

function imageUrlsOf(result: unknown, problems: FieldError[]): string[] {
  const images = isOptionsObject(result) && isOptionsObject(result.data) ? result.data.images : undefined;
  if (!Array.isArray(images)) {
    problems.push(argumentProblem('result', 'what run or result returned: { requestId, data: { images } }', result));
    return [];
  }
  const urls: string[] = [];
  images.forEach((image: unknown, index) => {
    const url = imageUrlOf(image, `result.data.images[${index}]`);
    if (typeof url === 'string') urls.push(url);
    else problems.push(url);
  });
  return urls;
}

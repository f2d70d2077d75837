import { access, mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { UsageError } from './command.js';
import type { EditJob } from './models.js';

/** Where one job's results go: `<stem>.<n>.<ext>` for each image and `<stem>.json` beside them. */
export interface OutputPlan {
  outDir: string;
  /** The image paths expected from the requested format and count, checked before submitting. */
  expectedImagePaths: string[];
  sidecarPath: string;
}

/** The file extension a requested output format is saved with (the core names JPEG files .jpg). */
export function extensionForFormat(format: string): string {
  return format === 'jpeg' ? 'jpg' : format;
}

export function planOutputs(outDir: string, stem: string, numImages: number, format: string): OutputPlan {
  const imagePath = (index: number, extension: string) => join(outDir, `${stem}.${index}.${extension}`);
  const expectedExtension = extensionForFormat(format);
  return {
    outDir,
    expectedImagePaths: Array.from({ length: numImages }, (_, i) => imagePath(i + 1, expectedExtension)),
    sidecarPath: join(outDir, `${stem}.json`),
  };
}

/** Two jobs with the same name (a/cat.png, b/cat.jpg) would write the same files: refuse up front. */
export function assertDistinctStems(jobs: EditJob[]): void {
  const byStem = new Map<string, string>();
  for (const job of jobs) {
    const earlier = byStem.get(job.stem);
    if (earlier) {
      throw new UsageError(
        `${earlier} and ${job.label} would write the same output files (${job.stem}.*); rename one or edit them in separate runs`,
      );
    }
    byStem.set(job.stem, job.label);
  }
}

/** Refuses, before anything is submitted, to run when any planned output already exists. */
export async function assertNothingToOverwrite(plans: OutputPlan[], cwd: string): Promise<void> {
  const planned = plans.flatMap((plan) => [...plan.expectedImagePaths, plan.sidecarPath]);
  const existing = (await Promise.all(planned.map(async (path) => ((await exists(path)) ? path : undefined)))).filter(
    (path): path is string => path !== undefined,
  );
  if (existing.length === 0) return;
  const first = relative(cwd, existing[0]!) || existing[0]!;
  const more = existing.length > 1 ? ` (and ${existing.length - 1} more output file${existing.length > 2 ? 's' : ''})` : '';
  throw new UsageError(`${first} already exists${more}; pass --force to overwrite`);
}

export async function ensureOutDir(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot create output folder ${outDir}: ${error.code ?? error.message}`);
  });
}

/**
 * Writes one output file. Without --force the file is created exclusively ('wx'): the up-front
 * check can be raced by another process, and a result in an unexpected format has a name the
 * check did not cover.
 */
export async function writeOutputFile(path: string, data: Uint8Array | string, overwrite: boolean): Promise<void> {
  await writeFile(path, data, { flag: overwrite ? 'w' : 'wx' });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

import { readFile } from 'node:fs/promises';
import { InputError, bytesToDataUrl, validateInput, type KontextInput } from '@anyapi-kontext/core';
import { UsageError } from './command.js';
import type { InputImage } from './discover-inputs.js';

/** The model options `kontext edit` exposes, and the input field each one sets. */
export const modelFlags = {
  prompt: 'prompt',
  'num-images': 'num_images',
  format: 'output_format',
  guidance: 'guidance_scale',
  safety: 'safety_tolerance',
  seed: 'seed',
} as const satisfies Record<string, keyof KontextInput>;

type ModelFlag = keyof typeof modelFlags;
export type ModelField = (typeof modelFlags)[ModelFlag];
const numericFields = new Set<string>(['num_images', 'guidance_scale', 'seed']);

/** Everything of the submit body except the image, as the flags asked (defaults left to the API). */
export type ModelOptions = Omit<Partial<KontextInput>, 'image_url'>;

/**
 * Turns the flags into input fields without judging them: ranges and allowed values are the
 * spec's business, checked by the core's validateInput so the messages say what the API allows.
 * A number flag that is not a number is passed on as text, so the validator names the field.
 */
export function modelOptionsFromFlags(values: Record<string, string | boolean | undefined>): ModelOptions {
  const options: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(modelFlags)) {
    const value = values[flag];
    if (typeof value !== 'string') continue;
    options[field] = numericFields.has(field) && isNumeric(value) ? Number(value) : value;
  }
  return options as ModelOptions;
}

export interface EditJob {
  image: InputImage;
  options: ModelOptions;
}

/**
 * A 1x1 PNG standing in for the images while the options are checked: the options are the
 * same for every job, and reading every input whole up front would hold a large folder in
 * memory. Each job's real body is validated again when it is built.
 */
const standInImage = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** Checks the options against the spec once for the batch, so nothing is sent if one is wrong. */
export function planEditJobs(images: InputImage[], options: ModelOptions): EditJob[] {
  try {
    validateInput({ ...options, image_url: standInImage });
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(describeInputError(error));
    throw error;
  }
  return images.map((image) => ({ image, options }));
}

/** The submit body for one job: the file, read now, as a data URL, with the batch's options. */
export async function buildJobInput(job: EditJob): Promise<KontextInput> {
  const bytes = await readFile(job.image.absolutePath);
  return validateInput({ ...job.options, image_url: bytesToDataUrl(bytes, job.image.displayPath) });
}

/** Names the flag the user typed next to the core's message about the field it set. */
function describeInputError(error: InputError): string {
  return error.fieldErrors
    .map(({ field, message }) => {
      const flag = (Object.keys(modelFlags) as ModelFlag[]).find((name) => modelFlags[name] === field);
      return flag ? `--${flag}: ${message}` : message;
    })
    .join('; ');
}

function isNumeric(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

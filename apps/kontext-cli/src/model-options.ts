import { InputError, toImageUrl, type SubmitPath } from '@anyapi-kontext/core';
import { validateInput } from '@anyapi-kontext/core/portable';
import { UsageError } from './command.js';
import type { InputImage } from './discover-inputs.js';
import { modelFlagsOf } from './model-flags.js';
import { imageFieldOf, type Model } from './models.js';

/** Everything of the submit body except the images, as the flags asked (defaults left to the API). */
export type ModelOptions = Record<string, unknown>;

/** One submit: a model, its images (none, one, or several for a multi-image model) and the batch's options. */
export interface EditJob {
  model: Model;
  images: InputImage[];
  /** What the job's outputs are named after. */
  stem: string;
  /** How the job is shown in progress lines and the summary. */
  label: string;
  options: ModelOptions;
  /** Fit the images to the model before sending (the default; --original sends the files as they are). */
  fit: boolean;
}

/**
 * A 1x1 PNG standing in for the images while the options are checked: the options are the
 * same for every job, and reading every input whole up front would hold a large folder in
 * memory. Each job's real body is validated again when it is built.
 */
const standInImage = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** What a text-to-image job's files are named after: the prompt's first words. */
export function stemFromPrompt(prompt: unknown): string {
  const words = String(prompt ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .slice(0, 6);
  return words.join('-').slice(0, 48).replace(/-+$/, '') || 'image';
}

/**
 * The jobs of a batch, the options checked against the model's schema once, so nothing is sent
 * if one is wrong: one job per image for a one-image model, one job of every image for a
 * multi-image model, one job of the prompt alone for a text-to-image model.
 */
export function planEditJobs(model: Model, images: InputImage[], options: ModelOptions, fit = true): EditJob[] {
  const imageField = imageFieldOf(model);
  const standIn = imageField === 'image_url' ? { image_url: standInImage } : imageField === 'image_urls' ? { image_urls: images.map(() => standInImage) } : {};
  try {
    validateInput({ ...options, ...standIn }, model.path as SubmitPath);
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(describeInputError(model, error));
    throw error;
  }
  switch (model.imageInput) {
    case 'single':
      return images.map((image) => ({ model, images: [image], stem: image.stem, label: image.displayPath, options, fit }));
    case 'multiple':
      return [{ model, images, stem: images.map((image) => image.stem).join('+'), label: images.map((image) => image.displayPath).join(' + '), options, fit }];
    case 'none': {
      const stem = stemFromPrompt(options.prompt);
      return [{ model, images: [], stem, label: `"${String(options.prompt ?? '')}"`, options, fit }];
    }
  }
}

/**
 * The submit body for one job: its files, read now and (unless --original) fitted to the model,
 * as data URLs, with the batch's options. One file at a time: fitting decodes each.
 */
export async function buildJobInput(job: EditJob): Promise<Record<string, unknown>> {
  const imageField = imageFieldOf(job.model);
  const urls: string[] = [];
  for (const image of job.images) urls.push(await toImageUrl(image.absolutePath, imageField ?? 'image_url', { fit: job.fit }));
  const images = imageField === 'image_url' ? { image_url: urls[0] } : imageField === 'image_urls' ? { image_urls: urls } : {};
  return validateInput({ ...job.options, ...images }, job.model.path as SubmitPath) as Record<string, unknown>;
}

/** Names the flag the user typed next to the core's message about the field it set. */
function describeInputError(model: Model, error: InputError): string {
  const flags = Object.entries(modelFlagsOf(model));
  const imageField = imageFieldOf(model);
  return error.fieldErrors
    .map(({ field, message }) => {
      if (field === imageField) return `the input images: ${message}`;
      const flag = flags.find(([, f]) => f.field === field)?.[0];
      return flag ? `--${flag}: ${message}` : message;
    })
    .join('; ');
}

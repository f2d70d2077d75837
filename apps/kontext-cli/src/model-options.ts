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
  input: KontextInput;
}

/** Builds every job's submit body and validates it, so nothing is sent if any one is wrong. */
export function buildEditJobs(images: InputImage[], options: ModelOptions): EditJob[] {
  return images.map((image) => {
    const body = { ...options, image_url: bytesToDataUrl(image.bytes) };
    try {
      return { image, input: validateInput(body) };
    } catch (error) {
      if (error instanceof InputError) throw new UsageError(describeInputError(error, image));
      throw error;
    }
  });
}

/** Names the flag the user typed next to the core's message about the field it set. */
function describeInputError(error: InputError, image: InputImage): string {
  return error.fieldErrors
    .map(({ field, message }) => {
      if (field === 'image_url') return `${image.displayPath}: ${message}`;
      const flag = (Object.keys(modelFlags) as ModelFlag[]).find((name) => modelFlags[name] === field);
      return flag ? `--${flag}: ${message}` : message;
    })
    .join('; ');
}

function isNumeric(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

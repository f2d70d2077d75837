// `--model-path`: any fal-queue model path AnyAPI relays, listed in the spec or not, with its
// input as `--input` JSON. Everything here is checked before anything is sent.
import type { AnyModelPath, ImageInput } from '@anyapi-kontext/core';
import { describeGot, isModelPath, modelPathRule } from '@anyapi-kontext/core/portable';
import { UsageError } from './command.js';
import { discoverInputs, type InputImage } from './discover-inputs.js';
import { imageFieldOf, models, planEditJobs, unlistedModel, type Model } from './models.js';
import { inputsFor, type PlanJobs } from './plan-edit-batch.js';

export type ImageField = 'image_url' | 'image_urls';
const IMAGE_FIELDS: readonly ImageField[] = ['image_url', 'image_urls'];

/** The path `--model-path` gave, its shape checked with the core's own rule (`runAny` checks the same). */
export function modelPathFrom(value: string | boolean | undefined): AnyModelPath {
  if (typeof value === 'string' && isModelPath(value)) return value;
  throw new UsageError(`--model-path must be ${modelPathRule.allowed} (got ${describeGot(value)})`);
}

/** The model the spec lists at `path`, if any: it is run as that model, its input checked against its schema. */
export function listedModelAt(path: AnyModelPath): Model | undefined {
  return models.find((model) => model.path === path);
}

const INPUT_EXAMPLE = `e.g. --input '{"num_images": 2}'`;

/**
 * `--input`: the model's other fields as one JSON object. A text that is not JSON is refused
 * saying where it goes wrong (the character, and the text before it); JSON that is not an
 * object says what it is.
 */
export function inputJsonFrom(value: string | boolean | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  const text = String(value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--input is not valid JSON: ${whereJsonBreaks(text, error)}; ${INPUT_EXAMPLE}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--input must be a JSON object of the model's fields (got ${describeGot(parsed)}); ${INPUT_EXAMPLE}`);
  }
  return { ...(parsed as Record<string, unknown>) };
}

/** JSON.parse's reason, with its "at position N" turned into the character and what comes before it. */
function whereJsonBreaks(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = / at position (\d+)/.exec(message);
  if (text.trim() === '') return 'it is empty';
  if (!position) return message;
  const at = Number(position[1]);
  const reason = message.slice(0, position.index).replace(/ in JSON$/, '');
  const before = text.slice(Math.max(0, at - 24), at);
  return `${reason} at character ${at + 1}${before ? `, after '${before.length < at ? '...' : ''}${before}'` : ''}`;
}

/**
 * The jobs of `edit --model-path`: the body is `--input` with `--prompt` as its prompt, and the
 * input images go to a listed model's image field, or, for a path the spec does not list, to
 * `--image-field` (by default `image_url` for one image, `image_urls` for several). `image_url`
 * runs one job per image, as the one-image models do; `image_urls` runs them all as one job.
 * A field given twice (in `--input` and by a flag or the images) is refused, not chosen.
 */
export function modelPathJobs(path: AnyModelPath, values: Record<string, string | boolean | undefined>, positionals: string[], cwd: string): PlanJobs {
  const listed = listedModelAt(path);
  const body = inputJsonFrom(values.input);
  const fromInput = new Set(Object.keys(body));
  if (typeof values.prompt === 'string') {
    if (Object.hasOwn(body, 'prompt')) throw new UsageError('prompt is set in both --prompt and --input: keep one of them');
    body.prompt = values.prompt;
  }
  const asked = imageFieldFrom(values['image-field']);
  return async (fit) => {
    const images = listed ? await inputsFor(listed, positionals, cwd, fit) : positionals.length > 0 ? await discoverInputs(positionals, cwd, { fit }) : [];
    const model = listed ?? unlistedModel(path, imageInputFor(images, asked));
    const field = imageFieldOf(model);
    if (listed && asked && asked !== field) {
      throw new UsageError(`--image-field ${asked}: ${listed.name} (${path}) takes ${field ? `its images as ${field}` : 'no image'}`);
    }
    if (field && images.length > 0 && Object.hasOwn(body, field)) {
      throw new UsageError(`${field} is set in both --input and the input images: keep one of them`);
    }
    // A field came from --input, but for a prompt --input does not set; the core's messages name the field.
    const flagOf = (name: string) => (name === 'prompt' && !fromInput.has('prompt') ? 'prompt' : 'input');
    return planEditJobs(model, images, body, { fit, flagOf });
  };
}

function imageFieldFrom(value: string | boolean | undefined): ImageField | undefined {
  if (value === undefined) return undefined;
  if (IMAGE_FIELDS.includes(value as ImageField)) return value as ImageField;
  throw new UsageError(`--image-field must be one of ${IMAGE_FIELDS.join(', ')} (got ${describeGot(value)})`);
}

/** How a path the spec does not list takes the images given: `--image-field`, else by their count. */
function imageInputFor(images: InputImage[], asked: ImageField | undefined): ImageInput {
  if (images.length === 0) return 'none';
  const field = asked ?? (images.length > 1 ? 'image_urls' : 'image_url');
  return field === 'image_url' ? 'single' : 'multiple';
}

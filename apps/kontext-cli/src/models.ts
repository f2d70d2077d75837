// The models of the spec as the CLI offers them: the list and `--model`'s lookup, each model's
// flags and their `--help` text (read from its input schema, so a new field or range needs no
// edit here), and the jobs an edit plans from them (also for a path `--model-path` names).
import {
  defaultEndpoint,
  InputError,
  submitEndpoints,
  toImageUrl,
  type AnyModelPath,
  type FieldSchema,
  type ImageInput,
  type SubmitPath,
} from '@anyapi-kontext/core';
import { inputSchemas, validateAnyInput } from '@anyapi-kontext/core/portable';
import { UsageError, type OptionSpec } from './command.js';
import type { InputImage } from './discover-inputs.js';

export interface Model {
  /** One of the spec's paths, or (`--model-path`) any fal-queue model path. */
  path: SubmitPath | AnyModelPath;
  name: string;
  /**
   * False for a path the spec does not list: it has no schema, so its input is sent as given and
   * the service checks it (its errors name the path).
   */
  listed: boolean;
  imageInput: ImageInput;
  /** The input schema's fields, the image field among them. */
  properties: Record<string, FieldSchema & { title?: string; description?: string; 'x-fal-extra'?: boolean }>;
  required: string[];
}

interface EndpointMetadata {
  inputSchema: string;
  displayName?: string;
  imageInput?: ImageInput;
}

/** Every model of the spec, in the spec's order. */
export const models: Model[] = (Object.entries(submitEndpoints) as [SubmitPath, EndpointMetadata][]).map(([path, endpoint]) => {
  const schema = (inputSchemas as Record<string, unknown>)[endpoint.inputSchema] as { properties: Model['properties']; required?: string[] };
  const imageInput: ImageInput =
    endpoint.imageInput ?? (schema.properties.image_urls ? 'multiple' : schema.properties.image_url ? 'single' : 'none');
  return { path, name: endpoint.displayName ?? path, listed: true, imageInput, properties: schema.properties, required: [...(schema.required ?? [])] };
});

/**
 * A path the spec does not list, as `--model-path` runs it: no schema, no flags of its own, its
 * images sent as `imageInput` says (`image_url` or `image_urls`).
 */
export function unlistedModel(path: AnyModelPath, imageInput: ImageInput): Model {
  return { path, name: path, listed: false, imageInput, properties: {}, required: [] };
}

export const defaultModel: Model = models.find((model) => model.path === defaultEndpoint)!;

/** The field a model's images go in. */
export function imageFieldOf(model: Model): 'image_url' | 'image_urls' | undefined {
  return model.imageInput === 'single' ? 'image_url' : model.imageInput === 'multiple' ? 'image_urls' : undefined;
}

const squeeze = (text: string) => text.toLowerCase().replace(/^\/+/, '').replace(/\s+/g, ' ').trim();

/**
 * The model `text` names: its path (`/fal-ai/flux-pro/kontext/max`, the leading slash optional),
 * its name (`"FLUX.1 Kontext [max]"`, any case), or the end of its path when only one model's
 * path ends so (`max/multi`, `text-to-image`). Anything else is a UsageError listing the choices.
 */
export function resolveModel(text: string | undefined): Model {
  if (text === undefined) return defaultModel;
  const wanted = squeeze(text);
  const exact = models.find((model) => squeeze(model.path) === wanted || squeeze(model.name) === wanted);
  if (exact) return exact;
  const bySuffix = wanted ? models.filter((model) => squeeze(model.path).endsWith(`/${wanted}`)) : [];
  if (bySuffix.length === 1) return bySuffix[0]!;
  const choices = models.map((model) => `${model.path} (${model.name})`).join(', ');
  const reason = bySuffix.length > 1 ? 'names more than one model' : 'is not a model';
  throw new UsageError(`--model ${JSON.stringify(text)} ${reason}; the models are ${choices} (see: kontext models)`);
}

export const imageInputWords: Record<ImageInput, string> = {
  none: 'no image (text to image)',
  single: 'one image',
  multiple: 'several images',
};

/** A command-line flag that sets one input field of the chosen model. */
export interface ModelFlag {
  field: string;
  option: OptionSpec;
}

/** Our short names and words for the fields the Kontext models share; other fields get `--<field-name>`. */
const KNOWN_FIELDS: Record<string, { flag: string; short?: string; words: string }> = {
  prompt: { flag: 'prompt', short: 'p', words: 'what to change in the images, or the picture to make' },
  num_images: { flag: 'num-images', short: 'n', words: 'images per job' },
  output_format: { flag: 'format', short: 'f', words: 'output format' },
  guidance_scale: { flag: 'guidance', words: 'how closely to follow the prompt' },
  safety_tolerance: { flag: 'safety', words: 'safety tolerance' },
  seed: { flag: 'seed', words: 'seed, for reproducible results' },
};

/** The flags `edit` has whatever the model: a model field by one of these names gets `--field-<name>`. */
export const COMMAND_FLAGS = new Set(['model', 'model-path', 'out', 'concurrency', 'timeout', 'force', 'original', 'json', 'help']);

function wordsOf(field: string, schema: Model['properties'][string]): string {
  const text = (schema.description ?? schema.title ?? field.replace(/_/g, ' ')).trim().replace(/\.$/, '');
  const extra = schema['x-fal-extra'] ? ' (a fal option AnyAPI may not pass on)' : '';
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}${extra}`;
}

/**
 * The flags of `model`'s input fields, from its schema: names, value names, choices and
 * defaults in `--help` follow the spec with no edit here. The image field is the command's
 * positional inputs.
 */
export function modelFlagsOf(model: Model): Record<string, ModelFlag> {
  const flags: Record<string, ModelFlag> = {};
  const imageField = imageFieldOf(model);
  for (const [field, schema] of Object.entries(model.properties)) {
    if (field === imageField) continue;
    const known = KNOWN_FIELDS[field];
    let flag = known?.flag ?? field.replace(/_/g, '-');
    if (COMMAND_FLAGS.has(flag)) flag = `field-${flag}`;
    const required = model.required.includes(field) ? ' (required)' : '';
    const description = flagDescription(`${known?.words ?? wordsOf(field, schema)}${required}`, schema);
    const option: OptionSpec =
      schema.type === 'boolean'
        ? { type: 'boolean', description }
        : { type: 'string', valueName: flagValueName(schema), description, ...(known?.short ? { short: known.short } : {}) };
    flags[flag] = { field, option };
  }
  return flags;
}

/**
 * Turns the flags into input fields without judging them: ranges and allowed values are the
 * spec's business, checked by the core's validateInput so the messages say what the API allows.
 * A value that is not of the field's type is passed on as typed, so the validator names the field.
 */
export function modelOptionsFromFlags(model: Model, values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [flag, { field }] of Object.entries(modelFlagsOf(model))) {
    const value = values[flag];
    if (value === undefined) continue;
    options[field] = typeof value === 'string' ? fromText(value, model.properties[field]!) : value;
  }
  return options;
}

function fromText(text: string, schema: Model['properties'][string]): unknown {
  switch (schema.type) {
    case 'integer':
    case 'number':
      return isNumeric(text) ? Number(text) : text;
    case 'array': {
      const items = (schema as { items?: { type?: string } }).items?.type;
      return text
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '')
        .map((entry) => ((items === 'number' || items === 'integer') && isNumeric(entry) ? Number(entry) : entry));
    }
    case 'object':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    default:
      return text;
  }
}

function isNumeric(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

/** A range this wide is not worth showing in a flag's value name (a seed's is 0 to 2^32-1). */
const WIDEST_SHOWN_RANGE = 100;

/**
 * The `<...>` after a model flag in `--help`, read from the spec so a new range or choice shows
 * up after `pnpm generate` with no edit here: `<1-20>`, `<jpeg|png>`, `<int>`.
 */
export function flagValueName(schema: FieldSchema): string {
  if (schema.enum) {
    const values = schema.enum.map(String);
    const numbers = values.map(Number);
    const consecutive = numbers.every((n, i) => Number.isInteger(n) && (i === 0 || n === numbers[i - 1]! + 1));
    return consecutive && values.length > 2 ? `<${values[0]}-${values.at(-1)}>` : `<${values.join('|')}>`;
  }
  const { minimum, maximum } = schema;
  if (minimum !== undefined && maximum !== undefined && maximum - minimum <= WIDEST_SHOWN_RANGE) return `<${minimum}-${maximum}>`;
  if (schema.type === 'integer') return '<int>';
  if (schema.type === 'number') return '<number>';
  if (schema.type === 'array') return '<a,b,...>';
  if (schema.type === 'object') return '<json>';
  return '<text>';
}

/** A flag's help line: its words, then what the spec says of the choices and the default. */
export function flagDescription(words: string, schema: FieldSchema): string {
  // Only the choices whose names say more than their value: "1 (strictest)" becomes "1 strictest".
  const named = (schema['x-enum-names'] ?? [])
    .filter((name, i) => name.toLowerCase() !== String(schema.enum?.[i]).toLowerCase())
    .map((name) => name.replace(/\s*\((.*)\)$/, ' $1'));
  const notes = named.length > 0 ? [named.join(', ')] : [];
  // A boolean flag is off unless given: its default says nothing.
  if (schema.default !== undefined && schema.type !== 'boolean') notes.push(`default ${String(schema.default)}`);
  return notes.length > 0 ? `${words} (${notes.join('; ')})` : words;
}

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
export function planEditJobs(
  model: Model,
  images: InputImage[],
  options: ModelOptions,
  { fit = true, flagOf = modelFlagOf(model) }: { fit?: boolean; flagOf?: (field: string) => string | undefined } = {},
): EditJob[] {
  const imageField = imageFieldOf(model);
  const standIn = imageField === 'image_url' ? { image_url: standInImage } : imageField === 'image_urls' ? { image_urls: images.map(() => standInImage) } : {};
  try {
    validateAnyInput({ ...options, ...standIn }, model.path);
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(describeInputError(imageField, flagOf, error));
    throw error;
  }
  switch (model.imageInput) {
    case 'single':
      return images.map((image) => ({ model, images: [image], stem: image.stem, label: image.displayPath, options, fit }));
    case 'multiple':
      return [{ model, images, stem: images.map((image) => image.stem).join('+'), label: images.map((image) => image.displayPath).join(' + '), options, fit }];
    case 'none': {
      const stem = stemFromPrompt(options.prompt);
      const label = options.prompt === undefined ? model.name : `"${String(options.prompt)}"`;
      return [{ model, images: [], stem, label, options, fit }];
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
  return validateAnyInput({ ...job.options, ...images }, job.model.path);
}

/** The flag that sets each of the model's fields (`edit --model`'s). */
function modelFlagOf(model: Model): (field: string) => string | undefined {
  const flags = Object.entries(modelFlagsOf(model));
  return (field) => flags.find(([, flag]) => flag.field === field)?.[0];
}

/** Names the flag the user typed next to the core's message about the field it set. */
function describeInputError(imageField: string | undefined, flagOf: (field: string) => string | undefined, error: InputError): string {
  return error.fieldErrors
    .map(({ field, message }) => {
      if (field === imageField) return `the input images: ${message}`;
      const flag = flagOf(field);
      return flag ? `--${flag}: ${message}` : message;
    })
    .join('; ');
}

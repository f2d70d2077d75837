import type { OptionSpec } from './command.js';
import { flagDescription, flagValueName } from './model-flag-help.js';
import { imageFieldOf, type Model } from './models.js';

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
export const COMMAND_FLAGS = new Set(['model', 'out', 'concurrency', 'timeout', 'force', 'json', 'help']);

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

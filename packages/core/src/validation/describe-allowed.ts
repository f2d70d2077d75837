import { describeGot } from './check-arguments.js';

/** The parts of a JSON schema that say what a field accepts. */
export interface FieldSchema {
  type?: string | readonly string[];
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  /** The spec's words for what a field allows, where its schema alone would not tell a person. */
  'x-allowed'?: string;
  default?: unknown;
  /** Display names of `enum`'s values, in the same order. */
  'x-enum-names'?: readonly string[];
  /** A list's entries (e.g. `image_urls`' URLs) and how many it takes. */
  items?: FieldSchema;
  minItems?: number;
  maxItems?: number;
  /** An object's fields (e.g. an image size's width and height). */
  properties?: Readonly<Record<string, FieldSchema>>;
  required?: readonly string[];
}

const range = (schema: FieldSchema): string => {
  const { minimum, maximum } = schema;
  if (minimum !== undefined && maximum !== undefined) return ` from ${minimum} to ${maximum}`;
  if (minimum !== undefined) return ` of at least ${minimum}`;
  if (maximum !== undefined) return ` of at most ${maximum}`;
  return '';
};

const count = ({ minItems, maxItems }: FieldSchema): string => {
  if (minItems !== undefined && maxItems !== undefined) return ` of ${minItems} to ${maxItems}`;
  if (minItems !== undefined) return ` of at least ${minItems}`;
  if (maxItems !== undefined) return ` of at most ${maxItems}`;
  return '';
};

/** "a text" -> "texts", "one of ..." stays: good enough for a list's entries. */
const plural = (allowed: string): string => {
  const match = /^an? (whole number|number|non-empty text|text|object|list)(.*)$/.exec(allowed);
  return match ? `${match[1]}s${match[2]}` : `entries that are each ${allowed}`;
};

/** Says in words what `schema` allows, e.g. `a number from 1 to 20` or `one of "jpeg", "png"`. */
export function describeAllowed(schema: FieldSchema): string {
  if (schema['x-allowed']) return schema['x-allowed'];
  if (schema.enum) return `one of ${schema.enum.map((value) => JSON.stringify(value)).join(', ')}`;
  switch (schema.type) {
    case 'integer':
      return `a whole number${range(schema)}`;
    case 'number':
      return `a number${range(schema)}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      return schema.minLength ? 'a non-empty text' : 'a text';
    case 'array':
      return `a list${count(schema)}${schema.items ? ` of ${plural(describeAllowed(schema.items))}` : ''}`;
    case 'object':
      return schema.properties ? `an object with ${Object.keys(schema.properties).join(', ')}` : 'an object';
    default:
      return 'a valid value';
  }
}

/** Shows a value the caller passed, shortened so a data URL does not flood the message. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : safeStringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? describeGot(value);
  } catch {
    return describeGot(value); // a BigInt, a cycle, a getter that throws
  }
}
